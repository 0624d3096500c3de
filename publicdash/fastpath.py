"""Serve cached public pages before the rest of the middleware stack.

The public views store each rendered page in the cache together with the publication it
came from; publishing records the live publication of the agency under a "live" key, and
unpublishing deletes it. A request for a non-versioned public page is answered straight from
the cache when the page's publication is the live one, without sessions, authentication or
database queries. Anything else (a miss, a stale page, an unpublished agency) goes through
the normal views, which check the database. The live key expires after ``LIVE_SECONDS``, so
an agency deactivated in Django admin stops being served within that time.

Bodies are stored gzip-compressed, once, when the page is stored: a client that accepts
gzip (every browser, curl --compressed) gets the stored bytes as they are, with
``Content-Encoding: gzip`` and a weak ETag (the bytes differ from the plain body's);
others get them decompressed. The largest download, ``data.csv`` of a large agency, is
~5.5 MB as text and ~10× smaller compressed, so reading it from the cache and sending it
costs a fraction of the plain body (issue 17: data.csv ≤ 5× hello-world).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from strategyhub.caching import invalidation
from strategyhub.language import QUERY_PARAMETER
from strategyhub.security_headers import allow_framing

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


STORED_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Content-Disposition",
    "Content-Language",  # the agency's language (strategyhub/language.py)
)


def store(path: str, publication_id: int, response: HttpResponse, frame_origins: list[str]) -> None:
    """Keep ``response`` (its body compressed) as the page of ``path`` in the edition
    ``publication_id``; call it once the response has all its headers. ``frame_origins``
    (the agency's embed origins) give the replayed page the framing headers of the first
    (``strategyhub.security_headers.allow_framing``); changing them takes the agency's
    cached pages down (:func:`mark_down`) so the next request stores them anew."""
    cache.set(
        page_key(path),
        {
            "publication": publication_id,
            "gzip": gzip.compress(response.content, compresslevel=6, mtime=0),
            "headers": {k: response[k] for k in STORED_HEADERS if k in response},
            "frame_origins": list(frame_origins),
        },
        24 * 60 * 60,
    )


def _accepts_gzip(request: HttpRequest) -> bool:
    return any(
        part.split(";")[0].strip().lower() in ("gzip", "*")
        and part.replace(" ", "").lower() not in ("gzip;q=0", "*;q=0")
        for part in request.headers.get("Accept-Encoding", "").split(",")
    )


def _weak(etag: str) -> str:
    return etag if etag.startswith("W/") else f"W/{etag}"


class PublicFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            request.method in ("GET", "HEAD")
            and path.startswith("/p/")
            and "/v/" not in path
            # The page in another language than the agency's (strategyhub/language.py).
            and QUERY_PARAMETER not in request.GET
        ):
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
            if (
                page
                and "gzip" in page
                and "frame_origins" in page  # stored before framing was recorded: refresh
                and page["publication"] == found.get(live_key(slug))
            ):
                return _answer(request, page)
        return self.get_response(request)


def _answer(request: HttpRequest, page: dict) -> HttpResponse:
    compressed = _accepts_gzip(request)
    headers = dict(page["headers"])
    if compressed and "ETag" in headers:
        headers["ETag"] = _weak(headers["ETag"])
    etag = headers.get("ETag")
    modified = headers.get("Last-Modified")
    asked = request.headers.get("If-None-Match")
    if (etag and asked and _weak(asked) == _weak(etag)) or (
        modified and request.headers.get("If-Modified-Since") == modified
    ):
        not_modified = HttpResponseNotModified()
        if etag:
            not_modified["ETag"] = etag
        not_modified["Vary"] = "Accept-Encoding"
        allow_framing(not_modified, page["frame_origins"])
        return not_modified
    if request.method == "HEAD":
        body = b""
    elif compressed:
        body = page["gzip"]
    else:
        body = gzip.decompress(page["gzip"])
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["X-Content-Type-Options"] = "nosniff"
    allow_framing(response, page["frame_origins"])
    return response
