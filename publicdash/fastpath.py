"""Serve cached public pages before the rest of the middleware stack.

The public views store each rendered page in the cache together with the publication it
came from; publishing records the live publication of the agency under a "live" key, and
unpublishing deletes it. A request for a non-versioned public page is answered straight from
the cache when the page's publication is the live one, without sessions, authentication or
database queries. Anything else (a miss, a stale page, an unpublished agency) goes through
the normal views, which check the database. The live key expires after ``LIVE_SECONDS``, so
an agency deactivated in Django admin stops being served within that time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from strategyhub.caching import invalidation

LIVE_SECONDS = 60


def live_key(slug: str) -> str:
    return f"public:live:{slug}"


def page_key(path: str) -> str:
    return f"public:page:{path}"


def mark_live(slug: str, publication_id: int) -> None:
    cache.set(live_key(slug), publication_id, LIVE_SECONDS)


def mark_down(slug: str) -> None:
    """Unpublishing takes the pages down at once: never silently lost (logged, kept
    pending and retried, ``strategyhub.caching.invalidation``)."""
    invalidation.delete(live_key(slug))


def store(path: str, publication_id: int, response: HttpResponse) -> None:
    cache.set(
        page_key(path),
        {
            "publication": publication_id,
            "body": response.content,
            "headers": {
                k: response[k]
                for k in (
                    "Content-Type",
                    "ETag",
                    "Last-Modified",
                    "Cache-Control",
                    "Content-Disposition",
                )
                if k in response
            },
        },
        24 * 60 * 60,
    )


class PublicFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method in ("GET", "HEAD") and path.startswith("/p/") and "/v/" not in path:
            slug = path.split("/", 3)[2]
            try:
                # A "down" mark this process failed to write: no cached public page.
                found = (
                    cache.get_many([page_key(path), live_key(slug)])
                    if invalidation.retry_pending()
                    else {}
                )
            except Exception:  # the cache being down must never break the public pages
                found = {}
            page = found.get(page_key(path))
            if page and page["publication"] == found.get(live_key(slug)):
                etag = page["headers"].get("ETag")
                modified = page["headers"].get("Last-Modified")
                if (etag and request.headers.get("If-None-Match") == etag) or (
                    modified and request.headers.get("If-Modified-Since") == modified
                ):
                    not_modified = HttpResponseNotModified()
                    if etag:
                        not_modified["ETag"] = etag
                    return not_modified
                response = HttpResponse(page["body"] if request.method == "GET" else b"")
                for name, value in page["headers"].items():
                    response[name] = value
                response["X-Content-Type-Options"] = "nosniff"
                return response
        return self.get_response(request)
