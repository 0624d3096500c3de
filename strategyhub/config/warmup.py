"""Work a worker would otherwise do on its first requests, done once in gunicorn's parent
before it forks (``gunicorn.conf.py``): every project template compiled into Django's cached
template loader, so no worker spends its first views compiling them (a large page's
templates took tens of milliseconds the first time in each of four workers, and again after
each ``max_requests`` recycle), and the compiled templates are shared copy-on-write and
frozen out of the garbage collector's walks with the rest of start-up."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

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
