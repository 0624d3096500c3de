"""The staff header (``templates/_header.html``), made once per distinct set of inputs.

Every staff page starts with the same header: the agency's name, the primary links with the
current one marked, the Agency menu (which links depend on the member's role), the other
agencies to switch to, the unread-alerts count and the account menu. Rendered by the
template engine on every request it cost about a fifth of a small page's first build (two
dozen ``{% url %}`` and ``{% translate %}`` tags, issue 17). The header depends only on the
inputs gathered in ``header_key`` — nothing else of the request or the database — so it is
rendered once per key and memoised in the process (a bounded LRU; no invalidation is needed,
as any change of an input is a new key). The sign-out form's CSRF token is per session:
the memoised text holds a marker that each request replaces with its own token.

Settings changes (tests' ``override_settings``: URLs, static files) clear the memo.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from strategyhub.permissions import Action

TEMPLATE = "_header.html"
# The rights the header's links depend on (``perms_here.<action>`` in the template).
ACTIONS = ("check_in_own", "manage_members", "manage_settings", "publish", "move_data")
CSRF_MARKER = "sh-header-csrf-token"  # letters and dashes only: unchanged by escaping

Key = tuple[Any, ...]


def header_key(context: Any) -> Key:
    """Everything the header shows, from a page's template context: the language, who is
    signed in (their name as the menu shows it), the agency and the member's rights there,
    the page (its URL name and namespaces, for the current link), their other agencies and
    the unread count."""
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    if not authenticated:
        return (get_language(), False)
    organization = context.get("organization")
    membership = context.get("membership")
    perms = context.get("perms_here")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    in_agency = bool(organization and membership)
    others = tuple(
        (m.organization_id, m.organization.slug, m.organization.name)
        for m in context.get("my_organizations") or ()
    )
    return (
        get_language(),
        True,
        Truncator(user.display_name).chars(18),
        (organization.pk, organization.slug, organization.name) if in_agency else None,
        tuple(perms.can(Action(a)) for a in ACTIONS) if in_agency and perms else (),
        (match.url_name, tuple(match.namespaces)) if match is not None else (None, ()),
        others,
        _count(context.get("unread_alerts")) if in_agency else 0,
    )


def _count(value: object) -> int:
    """A count from the context, which may be lazy (``SimpleLazyObject`` has no ``__int__``)."""
    return int(str(value)) if value else 0


@lru_cache(maxsize=4096)
def _rendered(key: Key) -> str:
    """The header's HTML for ``key`` (see ``header_key``), with the CSRF marker."""
    if not key[1]:
        context: dict[str, Any] = {"user": SimpleNamespace(is_authenticated=False)}
    else:
        _language, _, name, agency, rights, (url_name, namespaces), others, unread = key
        context = {
            "user": SimpleNamespace(is_authenticated=True, display_name=name),
            "organization": None,
            "membership": None,
            "perms_here": SimpleNamespace(**dict(zip(ACTIONS, rights, strict=False))),
            "request": SimpleNamespace(
                resolver_match=SimpleNamespace(url_name=url_name, namespaces=list(namespaces))
            ),
            "my_organizations": [
                SimpleNamespace(
                    organization_id=pk, organization=SimpleNamespace(slug=slug, name=org_name)
                )
                for pk, slug, org_name in others
            ],
            "unread_alerts": unread,
            "csrf_token": CSRF_MARKER,
        }
        if agency is not None:
            pk, slug, org_name = agency
            context["organization"] = SimpleNamespace(pk=pk, slug=slug, name=org_name)
            context["membership"] = True
    return get_template(TEMPLATE).render(context)


def staff_header(context: Any) -> SafeString:
    """The header of the page whose template context is ``context``."""
    html = _rendered(header_key(context))
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, escape(str(context.get("csrf_token", ""))))
    return mark_safe(html)  # noqa: S308 (a template's output; the token escaped)


@receiver(setting_changed)
def _forget(**kwargs: object) -> None:
    _rendered.cache_clear()
