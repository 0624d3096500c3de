"""The writes of reports: create a report from a template, build and rebuild its draft
edition, submit it for review, approve it (which freezes it and stores its documents), and
start a corrected edition. Each refusal raises ``ReportRefused`` with the message to show
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from reports import build, render
from reports.models import Edition, EditionStatus, PeriodKind, Report, Template
from reports.refusals import ReportRefused
from scorecards.models import Perspective, PlanStatus, StrategicPlan
from strategyhub import fiscal
from strategyhub.background import enqueue_on_commit
from strategyhub.models import Organization, User

TEMPLATE_PERIODS = {
    Template.COUNCIL_QUARTERLY: {PeriodKind.QUARTER},
    Template.ANNUAL: {PeriodKind.YEAR},
    Template.PERSPECTIVE: {PeriodKind.QUARTER, PeriodKind.YEAR},
}


def _title(template: str, label: str, perspective: Perspective | None) -> str:
    if template == Template.PERSPECTIVE and perspective is not None:
        return f"{perspective.name}: performance report, {label}"
    return f"{Template(template).label}, {label}"


def create_report(
    organization: Organization,
    user: User | None,
    *,
    template: str,
    fiscal_year: int,
    quarter: int | None = None,
    perspective: Perspective | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """A report of the active plan for a quarter (``quarter`` 1–4) or a fiscal year, with its
    first edition built from the data as of the period's end."""
    plan = StrategicPlan.objects.filter(status=PlanStatus.ACTIVE).first()
    if plan is None:
        raise ReportRefused(gettext("The agency has no active plan to report on."))
    if template not in Template.values:
        raise ReportRefused(gettext("Choose one of the report templates."))
    kind = PeriodKind.QUARTER if quarter else PeriodKind.YEAR
    if kind not in TEMPLATE_PERIODS[Template(template)]:
        needed = (
            "a quarter" if Template(template) == Template.COUNCIL_QUARTERLY else "a fiscal year"
        )
        raise ReportRefused(
            gettext("The %(lower)s is for %(needed)s.")
            % {"lower": Template(template).label.lower(), "needed": needed}
        )
    if quarter is not None and not 1 <= quarter <= 4:
        raise ReportRefused(gettext("A fiscal year has quarters 1 to 4."))
    if template == Template.PERSPECTIVE:
        if perspective is None or perspective.plan_id != plan.pk:
            raise ReportRefused(gettext("Choose a perspective of the active plan."))
    else:
        perspective = None
    style = organization.fiscal_year_label_style
    period_label = (
        fiscal.fiscal_year(fiscal_year, organization.fiscal_year_start_month, style)
        .quarter(quarter)
        .label
        if quarter
        else fiscal.fiscal_year(fiscal_year, organization.fiscal_year_start_month, style).label
    )
    if not plan.first_fiscal_year <= fiscal_year <= plan.last_fiscal_year:
        raise ReportRefused(
            gettext(
                "%(period_label)s is outside the plan “%(title)s” (fiscal years "
                "%(first_fiscal_year)s to %(last_fiscal_year)s)."
            )
            % {
                "period_label": period_label,
                "title": plan.title,
                "first_fiscal_year": plan.first_fiscal_year,
                "last_fiscal_year": plan.last_fiscal_year,
            }
        )
    with transaction.atomic():
        report = Report.objects.create(
            organization=organization,
            plan=plan,
            template=template,
            period_kind=kind,
            fiscal_year=fiscal_year,
            quarter=quarter,
            perspective=perspective,
            title=_title(template, period_label, perspective),
            created_by=user,
        )
        _new_edition(report, organization, user, number=1, note="", now=now)
    return report


def _built(report: Report, organization: Organization, now: dt.datetime) -> tuple[dict, str]:
    try:
        content = build.build_content(report, organization, now)
    except build.BuildRefused as exc:
        raise ReportRefused(str(exc)) from exc
    return content, render.render_body(content)


def _new_edition(
    report: Report,
    organization: Organization,
    user: User | None,
    *,
    number: int,
    note: str,
    now: dt.datetime | None,
    previous: Edition | None = None,
) -> Edition:
    moment = now or timezone.now()
    content, body = _built(report, organization, moment)
    return Edition.objects.create(
        organization=organization,
        report=report,
        number=number,
        content=content,
        body_html=body,
        data_as_of=moment,
        note=note,
        changes=changes(previous.content, content) if previous else [],
        built_by=user,
        built_at=moment,
    )


def latest_edition(report: Report) -> Edition | None:
    return report.editions.order_by("-number").first()


def rebuild(edition: Edition, user: User | None, now: dt.datetime | None = None) -> Edition:
    """Read the data again into a draft edition (approved or in-review ones are frozen)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != EditionStatus.DRAFT:
            raise ReportRefused(
                gettext(
                    "Only a draft can be rebuilt: this edition is %(lower)s. Start a new "
                    "edition to correct it."
                )
                % {"lower": locked.get_status_display().lower()}
            )
        moment = now or timezone.now()
        report = locked.report
        content, body = _built(report, report.organization, moment)
        previous = report.editions.filter(number__lt=locked.number).order_by("-number").first()
        locked.content, locked.body_html = content, body
        locked.data_as_of = locked.built_at = moment
        locked.built_by = user
        locked.changes = changes(previous.content, content) if previous else []
        locked.save()
        if locked.commentary.exists():
            from reports.commentary import attach

            attach(locked)  # the owners' commentary stays with the rebuilt numbers
    return locked


def submit(edition: Edition, user: User | None) -> Edition:
    """Draft → in review: the content is fixed for the reviewers."""
    claimed = Edition.objects.filter(pk=edition.pk, status=EditionStatus.DRAFT).update(
        status=EditionStatus.IN_REVIEW, submitted_at=timezone.now()
    )
    if not claimed:
        raise ReportRefused(gettext("Only a draft can be sent for review."))
    edition.refresh_from_db()
    return edition


def return_to_draft(edition: Edition, user: User | None) -> Edition:
    """In review → draft (to rebuild it or change it before approval)."""
    claimed = Edition.objects.filter(pk=edition.pk, status=EditionStatus.IN_REVIEW).update(
        status=EditionStatus.DRAFT, submitted_at=None
    )
    if not claimed:
        raise ReportRefused(gettext("Only an edition in review can go back to draft."))
    edition.refresh_from_db()
    return edition


def approve(edition: Edition, user: User) -> Edition:
    """In review → approved, once (a conditional UPDATE: approving twice is refused). The
    document is written to the file storage at once and its PDF by a task after commit."""
    with transaction.atomic():
        claimed = Edition.objects.filter(pk=edition.pk, status=EditionStatus.IN_REVIEW).update(
            status=EditionStatus.APPROVED, approved_at=timezone.now(), approved_by=user
        )
        if not claimed:
            current = Edition.objects.filter(pk=edition.pk).values_list("status", flat=True).first()
            if current == EditionStatus.APPROVED:
                raise ReportRefused(gettext("This edition is already approved."))
            raise ReportRefused(gettext("Send the draft for review before approving it."))
        edition.refresh_from_db()
        store_document(edition)
        # By name (``reports.tasks`` imports this module): the PDF is made after the commit.
        enqueue_on_commit(
            "reports.tasks.render_edition_pdf",
            organization_id=edition.organization_id,
            edition_id=edition.pk,
        )
    return edition


def _file_name(edition: Edition, extension: str) -> str:
    report = edition.report
    slug = report.organization.slug
    return f"reports/{slug}/report-{report.pk}-edition-{edition.number}.{extension}"


def store_document(edition: Edition) -> None:
    """The edition's HTML document on the file storage (once: a stored one stays)."""
    if edition.document:
        return
    name = default_storage.save(
        _file_name(edition, "html"), ContentFile(render.render_document(edition).encode("utf-8"))
    )
    Edition.objects.filter(pk=edition.pk, document="").update(document=name)
    edition.document.name = name


def store_pdf(edition: Edition) -> bool:
    """The edition's PDF on the file storage; False (and the reason stored) where PDFs
    cannot be made. Only approved editions are stored; a stored PDF stays."""
    from reports import pdf

    if edition.status != EditionStatus.APPROVED or edition.pdf:
        return bool(edition.pdf)
    try:
        data = pdf.render_pdf(edition)
    except RuntimeError as exc:
        Edition.objects.filter(pk=edition.pk).update(pdf_error=str(exc)[:300])
        return False
    name = default_storage.save(_file_name(edition, "pdf"), ContentFile(data))
    Edition.objects.filter(pk=edition.pk, pdf="").update(pdf=name, pdf_error="")
    edition.pdf.name = name
    return True


def start_correction(
    report: Report, user: User | None, note: str, now: dt.datetime | None = None
) -> Edition:
    """A new edition after the approved one, read from the data now, with ``note`` (what
    changed, in the editor's words) and the list of numbers that differ."""
    if not note.strip():
        raise ReportRefused(gettext("Say what changed since the previous edition."))
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        previous = latest_edition(report)
        if previous is None or previous.status != EditionStatus.APPROVED:
            raise ReportRefused(
                gettext(
                    "The report already has an open edition: finish or change that one instead."
                )
            )
        edition = _new_edition(
            report,
            report.organization,
            user,
            number=previous.number + 1,
            note=note.strip(),
            now=now,
            previous=previous,
        )
        from reports.commentary import carry_over

        carry_over(previous, edition)
        return edition


def _measures(content: dict) -> dict[int, dict[str, Any]]:
    return {
        m["id"]: m
        for p in content.get("perspectives", [])
        for o in p["objectives"]
        for m in o["measures"]
    }


CHANGE_FIELDS = [
    ("value", "value"),
    ("target_due", "target due"),
    ("five_year_target", "five-year target"),
    ("status_label", "status"),
    ("owner", "owner"),
]


def changes(before: dict, after: dict) -> list[str]:
    """What differs between two editions' contents, measure by measure, in words."""
    old, new = _measures(before), _measures(after)
    lines = []
    for measure_id, entry in new.items():
        earlier = old.get(measure_id)
        if earlier is None:
            lines.append(f"{entry['name']}: now in the report.")
            continue
        for key, words in CHANGE_FIELDS:
            if earlier.get(key) != entry.get(key):
                lines.append(
                    f"{entry['name']}: {words} {earlier.get(key) or '—'} → {entry.get(key) or '—'}."
                )
    for measure_id, entry in old.items():
        if measure_id not in new:
            lines.append(f"{entry['name']}: no longer in the report.")
    return lines
