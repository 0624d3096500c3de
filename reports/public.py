"""The public version of an approved edition, for residents and anyone outside: public
measures only (internal ones, and their key results, left out), no owners' names or email
addresses, commentary only where its author marked it for publication (with the author's
full name, never an email). The summary's counts are those of the public measures. Its
body is rendered and stored at publication, so it is as frozen as the edition."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from reports import narrative, render
from reports.build import COUNTED
from reports.models import Edition, EditionStatus
from reports.refusals import ReportRefused
from scorecards import calc
from scorecards.models import Measure, Visibility
from strategyhub.models import User
from strategyhub.status import Status


def public_content(content: dict, internal_now: set[int] | frozenset[int] = frozenset()) -> dict:
    """``content`` without what may not go outside; ``internal_now``: measures internal
    today (a measure goes out only if it was public at the period's end and still is)."""
    public = copy.deepcopy(content)
    statuses: list[Status] = []
    previous: list[Status] = []
    objective_now: list[Status] = []
    objective_before: list[Status] = []
    for perspective in public["perspectives"]:
        for objective in perspective["objectives"]:
            objective["owner"] = ""
            objective.pop("owner_id", None)
            objective["commentary"] = _published(objective.get("commentary", []))
            measures = [
                m for m in objective["measures"] if m.get("public") and m["id"] not in internal_now
            ]
            for m in measures:
                m["owner"] = ""
                m.pop("owner_id", None)
                m["key_results"] = []
                m["commentary"] = _published(m.get("commentary", []))
                statuses.append(Status(m["status"]))
                previous.append(Status(m["previous_status"]))
            objective["measures"] = measures
            now = calc.objective_status([Status(m["status"]) for m in measures])
            objective["status"], objective["status_label"] = now.value, now.label
            objective_now.append(now)
            objective_before.append(
                calc.objective_status([Status(m["previous_status"]) for m in measures])
            )
    counts = Counter(s.value for s in statuses)
    before = Counter(s.value for s in previous)
    summary = public["summary"]
    summary["measures"] = {
        "total": len(statuses),
        "rows": _rows(counts, before),
        "sentences": narrative.summary_sentences(
            len(statuses), dict(counts), dict(before), public["previous_period"]["label"]
        ),
    }
    summary["objectives"] = {
        "total": len(objective_now),
        "rows": _rows(
            Counter(s.value for s in objective_now), Counter(s.value for s in objective_before)
        ),
    }
    summary["okr"]["objectives"] = []  # the counts and the mean only
    public["public"] = True
    return public


def _rows(counts: Counter, before: Counter) -> list[dict[str, Any]]:
    return [
        {
            "status": s.value,
            "label": s.label,
            "count": counts.get(s.value, 0),
            "previous": before.get(s.value, 0),
            "change": counts.get(s.value, 0) - before.get(s.value, 0),
        }
        for s in COUNTED
    ]


def _published(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**e, "author": e.get("author_public") or "the owner"} for e in entries if e.get("publish")
    ]


def publish(edition: Edition, user: User) -> Edition:
    """Publish the public version of an approved edition (once; unpublish takes it down)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != EditionStatus.APPROVED:
            raise ReportRefused(gettext("Only an approved edition can be published."))
        if locked.published_at is not None:
            raise ReportRefused(gettext("This edition is already published."))
        if locked.public_content is None:
            internal = set(
                Measure.objects.filter(visibility=Visibility.INTERNAL).values_list("pk", flat=True)
            )
            locked.public_content = public_content(locked.content, internal)
            locked.public_body_html = render.render_body(locked.public_content)
        locked.published_at, locked.published_by = timezone.now(), user
        locked.save(
            update_fields=["public_content", "public_body_html", "published_at", "published_by"]
        )
    return locked


def unpublish(edition: Edition, user: User) -> Edition:
    claimed = Edition.objects.filter(pk=edition.pk, published_at__isnull=False).update(
        published_at=None, published_by=None
    )
    if not claimed:
        raise ReportRefused(gettext("This edition is not published."))
    edition.refresh_from_db()
    return edition
