"""Owners' commentary on a report before approval: an editor asks every owner of an
objective or measure in the edition (contributors included) for their commentary by a due
date (an email each, sent once); an owner writes an analysis of each item they own and, for
anything at risk or off track, the recovery strategy; each commentary is shown in the report
with its author's name. Writing it re-renders the edition's body (the numbers stay as built);
approval freezes it with the rest. Refusals raise ``ReportRefused``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from reports import render
from reports.models import Commentary, CommentaryRequest, Edition, EditionStatus, ItemKind
from reports.refusals import ReportRefused
from strategyhub import emails, language
from strategyhub.background import enqueue_on_commit
from strategyhub.models import Membership, User
from strategyhub.ui import dates

MAX_TEXT = 4000
NEEDS_RECOVERY = {"at_risk", "off_track"}


def items(content: dict) -> list[dict[str, Any]]:
    """Every objective and measure of an edition: kind, id, title, status, owner id."""
    found = []
    for perspective in content.get("perspectives", []):
        for objective in perspective["objectives"]:
            found.append(
                {
                    "kind": ItemKind.OBJECTIVE.value,
                    "id": objective["id"],
                    "title": objective["title"],
                    "status": objective["status"],
                    "status_label": objective["status_label"],
                    "owner_id": objective.get("owner_id"),
                }
            )
            for measure in objective["measures"]:
                found.append(
                    {
                        "kind": ItemKind.MEASURE.value,
                        "id": measure["id"],
                        "title": measure["name"],
                        "status": measure["status"],
                        "status_label": measure["status_label"],
                        "owner_id": measure.get("owner_id"),
                    }
                )
    return found


def owned_items(edition: Edition, user: User) -> list[dict[str, Any]]:
    return [item for item in items(edition.content) if item["owner_id"] == user.pk]


def _open(edition: Edition) -> None:
    if edition.status == EditionStatus.APPROVED:
        raise ReportRefused(
            gettext("This edition is approved and frozen: its commentary cannot change.")
        )


def request_commentary(edition: Edition, user: User | None, due: dt.date) -> int:
    """Ask each active member who owns an item of ``edition`` for commentary by ``due``;
    returns how many were newly asked (an owner asked before keeps the first request)."""
    _open(edition)
    today = edition.report.organization.today()
    if due < today:
        raise ReportRefused(gettext("The due date for commentary must be today or later."))
    owner_ids = {item["owner_id"] for item in items(edition.content) if item["owner_id"]}
    active = set(
        Membership.objects.filter(
            organization_id=edition.organization_id, user_id__in=owner_ids, is_active=True
        ).values_list("user_id", flat=True)
    )
    if not active:
        raise ReportRefused(gettext("No item of this report has an active owner to ask."))
    asked = 0
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(commentary_due=due)
        edition.commentary_due = due
        for owner_id in sorted(active):
            request, created = CommentaryRequest.objects.get_or_create(
                organization_id=edition.organization_id,
                edition=edition,
                user_id=owner_id,
                defaults={"due": due},
            )
            if created:
                asked += 1
                enqueue_on_commit(
                    "reports.tasks.send_commentary_request",  # by name: tasks import us
                    organization_id=edition.organization_id,
                    request_id=request.pk,
                )
    return asked


def send_request_email(request: CommentaryRequest) -> bool:
    """The request's email, sent once: claimed by a conditional UPDATE of ``sent_at``."""
    claimed = CommentaryRequest.objects.filter(pk=request.pk, sent_at=None).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    edition = request.edition
    report = edition.report
    mine = owned_items(edition, request.user)
    url = emails.site_url(
        reverse("reports:edition", args=[report.organization.slug, report.pk, edition.number])
    )
    speaks = language.for_recipient(request.user, report.organization)
    with translation.override(speaks):
        subject = gettext("Your commentary for “%(title)s” by %(day)s") % {
            "title": report.title,
            "day": dates.full_date(request.due),
        }
    try:
        emails.send_templated(
            request.user.email,
            subject,
            "report_commentary",
            {
                "user": request.user,
                "report": report,
                "edition": edition,
                "items": mine,
                "due": request.due,
                "url": url,
            },
            language=speaks,
        )
    except emails.MAIL_ERRORS:
        CommentaryRequest.objects.filter(pk=request.pk).update(sent_at=None)  # retry later
        raise
    return True


def may_comment(edition: Edition, user: User, kind: str, item_id: int) -> dict[str, Any] | None:
    """The item if ``user`` owns it in ``edition``, else None."""
    for item in items(edition.content):
        if item["kind"] == kind and item["id"] == item_id and item["owner_id"] == user.pk:
            return item
    return None


def write(
    edition: Edition,
    author: User,
    *,
    kind: str,
    item_id: int,
    analysis: str,
    recovery: str = "",
    publish: bool = False,
) -> Commentary:
    """The author's commentary on an item they own (one per author and item, replaced when
    written again), and the edition's body re-rendered with it."""
    _open(edition)
    item = may_comment(edition, author, kind, item_id)
    if item is None:
        raise ReportRefused(gettext("You can comment only on the objectives and measures you own."))
    analysis, recovery = analysis.strip(), recovery.strip()
    if not analysis:
        raise ReportRefused(gettext("Write your analysis."))
    if len(analysis) > MAX_TEXT or len(recovery) > MAX_TEXT:
        raise ReportRefused(
            gettext("Keep each text to %(count)s characters.") % {"count": f"{MAX_TEXT:,}"}
        )
    if item["status"] in NEEDS_RECOVERY and not recovery:
        raise ReportRefused(
            gettext("“%(title)s” is %(lower)s: describe the recovery strategy.")
            % {"title": item["title"], "lower": item["status_label"].lower()}
        )
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        _open(locked)
        commentary, _ = Commentary.objects.update_or_create(
            organization_id=edition.organization_id,
            edition=locked,
            item_kind=kind,
            item_id=item_id,
            author=author,
            defaults={"analysis": analysis, "recovery": recovery, "publish": publish},
        )
        attach(locked)
    edition.content, edition.body_html = locked.content, locked.body_html
    return commentary


def attach(edition: Edition) -> None:
    """Put the edition's commentary into its content and re-render its body (saved)."""
    by_item: dict[str, list[dict[str, Any]]] = {}
    for c in edition.commentary.select_related("author").order_by("updated_at"):
        by_item.setdefault(f"{c.item_kind}:{c.item_id}", []).append(
            {
                "author": c.author.display_name,
                "author_public": c.author.full_name,  # never an email address
                "analysis": c.analysis,
                "recovery": c.recovery,
                "publish": c.publish,
            }
        )
    content = dict(edition.content)
    for perspective in content.get("perspectives", []):
        for objective in perspective["objectives"]:
            objective["commentary"] = by_item.get(f"objective:{objective['id']}", [])
            for measure in objective["measures"]:
                measure["commentary"] = by_item.get(f"measure:{measure['id']}", [])
    edition.content = content
    edition.body_html = render.render_body(content)
    edition.save(update_fields=["content", "body_html"])


def carry_over(previous: Edition, edition: Edition) -> None:
    """A corrected edition starts with the previous edition's commentary (its authors may
    change it before approval)."""
    rows = [
        Commentary(
            organization_id=edition.organization_id,
            edition=edition,
            item_kind=c.item_kind,
            item_id=c.item_id,
            author_id=c.author_id,
            analysis=c.analysis,
            recovery=c.recovery,
            publish=c.publish,
        )
        for c in previous.commentary.all()
    ]
    if rows:
        Commentary.objects.bulk_create(rows)
        attach(edition)
