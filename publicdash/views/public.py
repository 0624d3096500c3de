"""The no-login pages for residents, rendered from the latest (or an earlier) publication.

Each page costs a couple of queries: the agency (middleware), whether it is published and the
publication's identity. The rendered HTML is cached per publication and path, so publishing
a new version is the invalidation; unpublishing is checked before the cache on every request.
Responses carry ETag and Last-Modified and answer conditional requests with 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition, require_safe

from publicdash import fastpath
from publicdash.charts import public_chart, public_legend
from publicdash.models import Publication, PublicSite
from publicdash.snapshot import point_label, unit_text
from strategyhub import csvsafe
from strategyhub.http import PublicRequest
from strategyhub.language import QUERY_PARAMETER
from strategyhub.ui import dates

CACHE_SECONDS = 24 * 60 * 60
COMPACT_HOME_ABOVE = 60  # public measures
CACHE_CONTROL = "public, no-cache"  # always revalidate (cheap 304), so unpublishing is immediate
# Builds a page from (document, meta): its body and content type.
Builder = Callable[[dict, dict], tuple[str, str]]


def _meta(request: PublicRequest, version: int | None = None) -> dict[str, Any] | None:
    """Identity of the publication this request shows (memoised on the request)."""
    key = ("public_meta", version)
    if not hasattr(request, "_public_meta"):
        request._public_meta = {}
    if key not in request._public_meta:
        organization = request.organization
        meta = None
        if PublicSite.objects.filter(organization=organization, is_published=True).exists():
            rows = Publication.objects.filter(organization=organization)
            rows = rows.filter(version=version) if version else rows.order_by("-version")
            meta = rows.values("pk", "version", "published_at").first()
        request._public_meta[key] = meta
    return request._public_meta[key]


def _etag(
    request: PublicRequest, *args: Any, version: int | None = None, **kwargs: Any
) -> str | None:
    meta = _meta(request, version)
    if meta is None:
        return None
    digest = hashlib.sha256(_variant(request).encode()).hexdigest()[:12]
    return quote_etag(f"p{meta['pk']}-{digest}")


def _variant(request: PublicRequest) -> str:
    """The page's address with the language and date style it is shown in (the agency's,
    or the address's ``?lang``, strategyhub/language.py): one cached copy and ETag each."""
    return f"{request.path}|{translation.get_language()}|{dates.current_style()}"


def _last_modified(
    request: PublicRequest, *args: Any, version: int | None = None, **kwargs: Any
) -> dt.datetime | None:
    meta = _meta(request, version)
    return meta["published_at"] if meta else None


def _document(request: PublicRequest, version: int | None = None) -> tuple[dict, dict]:
    meta = _meta(request, version)
    if meta is None:
        raise Http404("Nothing published here.")
    document = Publication.objects.filter(pk=meta["pk"]).values_list("document", flat=True).get()
    return meta, document


def _cached(
    request: PublicRequest,
    version: int | None,
    build: Builder,
    headers: Callable[[dict], dict[str, str]] | None = None,
) -> HttpResponse:
    """The page ``build`` makes of the edition, cached per edition and path; ``headers``
    adds response headers from the edition's meta (before the fast path keeps a copy)."""
    meta = _meta(request, version)
    if meta is None:
        raise Http404("Nothing published here.")
    key = f"public:{meta['pk']}:{hashlib.sha256(_variant(request).encode()).hexdigest()}"
    body = cache.get(key)
    if body is None:
        _, document = _document(request, version)
        body, content_type = build(document, meta)
        cache.set(key, (body, content_type), CACHE_SECONDS)
    else:
        body, content_type = body
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Language"] = translation.get_language()
    response["Last-Modified"] = http_date(meta["published_at"].timestamp())
    for name, value in (headers(meta) if headers else {}).items():
        response[name] = value
    if version is None and QUERY_PARAMETER not in request.GET:
        # Let the fast path answer the next requests for this page (see fastpath.py); it
        # keeps the agency's language only (an address asking for another skips it).
        response["ETag"] = _etag(request)
        fastpath.store(request.path_info, meta["pk"], response, request.organization.embed_origins)
        fastpath.mark_live(request.organization.slug, meta["pk"])
    return response


def _prefix(request: PublicRequest, version: int | None) -> str:
    slug = request.organization.slug
    if version:
        return reverse("public:home_version", args=[slug, version])
    return reverse("public:home", args=[slug])


def _page(
    request: PublicRequest,
    template: str,
    version: int | None,
    extra: Callable[[dict], dict] | None = None,
) -> HttpResponse:
    def build(document: dict, meta: dict) -> tuple[str, str]:
        context = {
            "doc": document,
            "meta": meta,
            "version": version,
            "base": _prefix(request, version),
            "latest": version is None,
            **(extra(document) if extra else {}),
        }
        return render_to_string(template, context, request=None), "text/html; charset=utf-8"

    return _cached(request, version, build)


def _find(document: dict, kind: str, public_id: str) -> dict[str, Any]:
    for perspective in (document.get("plan") or {}).get("perspectives", []):
        for objective in perspective["objectives"]:
            if kind == "objective" and objective["id"] == public_id:
                return {"perspective": perspective, "objective": objective}
            for measure in objective["measures"]:
                if kind == "measure" and measure["id"] == public_id:
                    return {
                        "perspective": perspective,
                        "objective": objective,
                        "measure": measure,
                        "chart": public_chart(measure),
                        "legend": public_legend(),
                    }
    raise Http404("No such item in this publication.")


public_view = condition(etag_func=_etag, last_modified_func=_last_modified)


@require_safe
@public_view
def home(request: PublicRequest, org_slug: str, version: int | None = None) -> HttpResponse:
    def extra(doc: dict) -> dict[str, Any]:
        # A plan with many public measures gets a home page of objectives with their
        # status, each linking to its measures: a page residents can read (and load).
        measures = sum(
            len(o["measures"])
            for p in (doc.get("plan") or {}).get("perspectives", [])
            for o in p["objectives"]
        )
        return {"compact": measures > COMPACT_HOME_ABOVE, "measure_count": measures}

    return _page(request, "publicdash/home.html", version, extra)


@require_safe
@public_view
def objective(
    request: PublicRequest, org_slug: str, public_id: str, version: int | None = None
) -> HttpResponse:
    return _page(
        request,
        "publicdash/objective.html",
        version,
        lambda doc: _find(doc, "objective", public_id),
    )


@require_safe
@public_view
def measure(
    request: PublicRequest, org_slug: str, public_id: str, version: int | None = None
) -> HttpResponse:
    return _page(
        request, "publicdash/measure.html", version, lambda doc: _find(doc, "measure", public_id)
    )


@require_safe
@public_view
def okrs(request: PublicRequest, org_slug: str, version: int | None = None) -> HttpResponse:
    def extra(doc: dict) -> dict[str, Any]:
        if not doc.get("okrs"):
            raise Http404("No OKRs were published.")
        return {}

    return _page(request, "publicdash/okrs.html", version, extra)


@require_safe
def archive(request: PublicRequest, org_slug: str) -> HttpResponse:
    if _meta(request) is None:
        raise Http404("Nothing published here.")
    rows = list(
        Publication.objects.filter(organization=request.organization)
        .order_by("-version")
        .values("version", "published_at")
    )
    response = render(
        request,
        "publicdash/archive.html",
        {"rows": rows, "organization_name": request.organization.name},
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response


# --- Open data ------------------------------------------------------------------------------


@require_safe
@public_view
def data_json(request: PublicRequest, org_slug: str, version: int | None = None) -> HttpResponse:
    def build(document: dict, meta: dict) -> tuple[str, str]:
        return json.dumps(document, indent=2, ensure_ascii=False), "application/json"

    def disposition(meta: dict) -> dict[str, str]:
        return {"Content-Disposition": f'inline; filename="{org_slug}-v{meta["version"]}.json"'}

    return _cached(request, version, build, disposition)


CSV_HEADER = [
    "perspective",
    "objective",
    "objective_id",
    "measure",
    "measure_id",
    "unit",
    "direction",
    "period",
    "value",
    "planned",
    "planned_low",
    "planned_high",
    "baseline",
    "five_year_target",
    "period_label",  # added last, so the columns before keep their places
]


def _rows(document: dict, only: str | None = None) -> Iterator[list[Any]]:
    for perspective in (document.get("plan") or {}).get("perspectives", []):
        for objective in perspective["objectives"]:
            for m in objective["measures"]:
                if only and m["id"] != only:
                    continue
                target = m["five_year_target"]
                target_text = target.get("value") or f"{target.get('low')}..{target.get('high')}"
                for point in m["series"]:
                    expected = point["expected"]
                    yield [
                        perspective["name"],
                        objective["title"],
                        objective["id"],
                        m["name"],
                        m["id"],
                        unit_text(m),
                        m["direction"],
                        point["period"],
                        point["value"],
                        expected.get("value", ""),
                        expected.get("low", ""),
                        expected.get("high", ""),
                        m["baseline"]["value"],
                        target_text,
                        point_label(point),
                    ]


def _csv(request: PublicRequest, version: int | None, only: str | None = None) -> HttpResponse:
    def build(document: dict, meta: dict) -> tuple[str, str]:
        if only:
            _find(document, "measure", only)
        out = io.StringIO()
        writer = csvsafe.writer(out)  # no cell a spreadsheet would run as a formula
        writer.writerow(CSV_HEADER)
        writer.writerows(_rows(document, only))
        return out.getvalue(), "text/csv; charset=utf-8"

    def disposition(meta: dict) -> dict[str, str]:
        name = f"{request.organization.slug}-v{meta['version']}{'-' + only if only else ''}"
        return {"Content-Disposition": f'attachment; filename="{name}.csv"'}

    return _cached(request, version, build, disposition)


@require_safe
@public_view
def data_csv(request: PublicRequest, org_slug: str, version: int | None = None) -> HttpResponse:
    return _csv(request, version)


@require_safe
@public_view
def measure_csv(
    request: PublicRequest, org_slug: str, public_id: str, version: int | None = None
) -> HttpResponse:
    return _csv(request, version, only=public_id)


@require_safe
def logo(request: PublicRequest, org_slug: str) -> HttpResponse:
    """The agency's logo for the public pages (only while it is published)."""
    if _meta(request) is None or not request.organization.logo:
        raise Http404("No logo.")
    stored = request.organization.logo
    types = {
        "svg": "image/svg+xml",  # uploaded before logos were checked (now refused)
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
    }
    extension = stored.name.rsplit(".", 1)[-1].lower()
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=types.get(extension, "image/png"))
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
