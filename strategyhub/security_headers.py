"""Browser security headers beyond Django's own: Permissions-Policy on every response, and
the framing rule of public pages.

The Content-Security-Policy itself comes from django-csp (``CONTENT_SECURITY_POLICY`` in
the settings, ``csp.middleware.CSPMiddleware``): ``script-src 'self'`` and
``style-src 'self'`` with no inline script, style or event handler anywhere, and
``frame-ancestors 'none'``. Both middlewares sit above the public fast path and the staff
page cache, so a page replayed from the cache carries exactly the headers of the first.

Framing: staff pages are never framed (CSP ``frame-ancestors 'none'`` plus Django's
``X-Frame-Options: DENY``). A public page (``/p/<slug>/…``) may be framed by the https
origins its agency lists (``Organization.embed_origins``) — a city embedding its scorecard
in its own site. :func:`allow_framing` is the one place that turns that list into headers,
called by the tenant middleware for the public views and by the fast path for the pages it
replays: the CSP's ``frame-ancestors`` becomes the list, and ``X-Frame-Options`` is left off
(it cannot name several origins, and a ``DENY`` next to an allow-list would contradict it);
with no origins listed the page keeps ``frame-ancestors 'none'`` and ``DENY``.

No nonce is used: nothing inline is unavoidable (htmx's own indicator style is turned off
with ``includeIndicatorStyles: false`` and provided in ``static/css/strategyhub.css``). Were
a nonce ever needed, a cached page must get it filled per response the way
``strategyhub.caching.pages`` fills the CSRF token into a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Features nobody here needs are off for the page and every frame in it; WebAuthn (security
# keys, passkeys) is allowed for our own origin only.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "serial=()",
        "usb=()",
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def allow_framing(response: HttpResponseBase, origins: Sequence[str]) -> HttpResponseBase:
    """Let the https ``origins`` (and no one else) frame ``response``; none: no one."""
    if origins:
        response._csp_replace = {  # type: ignore[attr-defined]
            **getattr(response, "_csp_replace", {}),
            "frame-ancestors": list(origins),
        }
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
    else:
        response["X-Frame-Options"] = "DENY"
    return response
