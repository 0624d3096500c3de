"""Work a worker would otherwise do on its first requests, done once in gunicorn's parent
before it forks (``gunicorn.conf.py``): every project template compiled into Django's cached
template loader, so no worker spends its first views compiling them (a large page's
templates took tens of milliseconds the first time in each of four workers, and again after
each ``max_requests`` recycle), and the compiled templates are shared copy-on-write and
frozen out of the garbage collector's walks with the rest of start-up; and the URL
resolver's reverse lookups built for every language (a worker's first ``reverse`` built
them: 23 ms on its first ownership page, 3 December)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def compile_templates() -> int:
    """Load every ``.html`` template of the project's template folders and apps; how many
    compiled. A template that fails to compile is logged (its page will say why) and
    skipped."""
    from django.apps import apps
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

    root = Path(settings.BASE_DIR).resolve()
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
    ]
    engine = engines["django"]
    # A virtualenv inside the checkout (.venv) puts installed apps under the project too;
    # their templates are compiled as well (the admin's pages), but one that needs an app we
    # do not install (allauth's socialaccount snippets) is expected to fail: not a warning.
    installed = Path(sys.prefix).resolve()
    compiled = 0
    for folder in folders:
        ours = not folder.resolve().is_relative_to(installed)
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            name = path.relative_to(folder).as_posix()
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                logger.log(
                    logging.WARNING if ours else logging.DEBUG,
                    "Template %s not compiled at start-up: %s",
                    name,
                    error,
                )
            else:
                compiled += 1
    return compiled


def build_url_lookups() -> int:
    """Build the URL resolvers' reverse lookups for every language (``LANGUAGES`` and the
    default ``LANGUAGE_CODE``) as the
    first ``reverse`` of each name would: the root resolver's names, namespaces and apps,
    and, for each namespace (``okrs:``, ``ownership:`` …), the resolver ``reverse`` makes
    for it (Django's ``get_ns_resolver``, cached per process). How many namespaces."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.urls.resolvers import get_ns_resolver
    from django.utils import translation

    def walk(resolver: Any, pattern: str, converters: dict, seen: list) -> None:
        for extra, sub in resolver.namespace_dict.values():
            sub_converters = {**converters, **sub.pattern.converters}
            ns_resolver = get_ns_resolver(pattern + extra, sub, tuple(sub_converters.items()))
            ns_resolver.reverse_dict  # noqa: B018 - read to build it
            seen.append(ns_resolver)
            walk(sub, pattern + extra, sub_converters, seen)

    root = get_resolver()
    built: list = []
    # The default too: what runs outside a request (tasks, e-mails) reverses in it.
    codes = dict.fromkeys([settings.LANGUAGE_CODE, *(code for code, _ in settings.LANGUAGES)])
    for code in codes:
        with translation.override(code):
            root.app_dict  # noqa: B018 - read to build it, with reverse_dict and namespace_dict
            walk(root, "", {}, built)
    return len(built) // len(codes)
