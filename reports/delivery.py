"""Scheduled reports and their delivery.

* ``create_schedule``: an admin schedules a template every quarter or fiscal year to a list
  of recipients (staff or outside addresses, each checked as an email address).
* ``run_due(organization)`` (the daily job): once a period has ended (the agency's local
  date), each active schedule builds its report for that period — once, claimed with a
  conditional UPDATE of ``last_period`` — and asks the owners for commentary.
* ``deliver(edition)``: when an edition of a scheduled report is approved (after its PDF is
  stored), each recipient gets one email (a ``Delivery`` row claimed by ``sent_at``) with the
  PDF attached. Members get the link to the edition, which needs sign-in; outside addresses
  get the link to the public version only when it is published, else no link.

Monthly delivery is not offered: a report covers a quarter or a fiscal year.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from reports import commentary, editions
from reports.models import (
    Cadence,
    Delivery,
    Edition,
    EditionStatus,
    Report,
    ReportSchedule,
    Template,
)
from reports.refusals import ReportRefused
from scorecards.models import Perspective, PlanStatus, StrategicPlan
from strategyhub import emails, fiscal
from strategyhub.models import Membership, Organization, User

MAX_RECIPIENTS = 50


def clean_recipients(text: str) -> list[str]:
    addresses = [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]
    if not addresses:
        raise ReportRefused(gettext("Enter at least one recipient's email address."))
    if len(addresses) > MAX_RECIPIENTS:
        raise ReportRefused(
            gettext("At most %(MAX_RECIPIENTS)s recipients.") % {"MAX_RECIPIENTS": MAX_RECIPIENTS}
        )
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ReportRefused(
            gettext("Not email addresses: %(addresses)s.") % {"addresses": ", ".join(bad)}
        )
    return sorted(set(addresses), key=addresses.index)


def create_schedule(
    organization: Organization,
    user: User | None,
    *,
    template: str,
    cadence: str,
    recipients: str,
    perspective: Perspective | None = None,
    commentary_days: int = 10,
) -> ReportSchedule:
    if template not in Template.values or cadence not in Cadence.values:
        raise ReportRefused(gettext("Choose a template and how often."))
    wanted = "quarter" if cadence == Cadence.QUARTERLY else "year"
    if (template == Template.COUNCIL_QUARTERLY and wanted != "quarter") or (
        template == Template.ANNUAL and wanted != "year"
    ):
        label, how = Template(template).label.lower(), Cadence(cadence).label.lower()
        raise ReportRefused(
            gettext("The %(label)s cannot be sent %(how)s.") % {"label": label, "how": how}
        )
    if template == Template.PERSPECTIVE and perspective is None:
        raise ReportRefused(gettext("Choose the perspective to report on."))
    if not 1 <= commentary_days <= 60:
        raise ReportRefused(gettext("Give the owners 1 to 60 days for their commentary."))
    addresses = clean_recipients(recipients)
    return ReportSchedule.objects.create(
        organization=organization,
        template=template,
        perspective=perspective if template == Template.PERSPECTIVE else None,
        cadence=cadence,
        recipients="\n".join(addresses),
        commentary_days=commentary_days,
        created_by=user,
    )


def last_ended_period(
    organization: Organization, cadence: str, today: dt.date
) -> tuple[int, int | None]:
    """The fiscal year and quarter (None for a year) of the period that ended most recently."""
    month = organization.fiscal_year_start_month
    if cadence == Cadence.QUARTERLY:
        running = fiscal.fiscal_quarter_containing(today, month)
        previous = fiscal.fiscal_quarter_containing(running.start - dt.timedelta(days=1), month)
        return fiscal.fiscal_year_of(previous.start, month), previous.number
    return fiscal.fiscal_year_of(today, month) - 1, None


def _code(year: int, quarter: int | None) -> str:
    return f"{year}-Q{quarter}" if quarter else f"{year}-FY"


def run_due(organization: Organization, today: dt.date | None = None) -> list[Report]:
    """Build each active schedule's report for the period that just ended, once."""
    today = today or organization.today()
    plan = StrategicPlan.objects.filter(status=PlanStatus.ACTIVE).first()
    built = []
    for schedule in ReportSchedule.objects.filter(is_active=True).select_related("perspective"):
        year, quarter = last_ended_period(organization, schedule.cadence, today)
        code = _code(year, quarter)
        if plan is None or not plan.first_fiscal_year <= year <= plan.last_fiscal_year:
            continue
        with transaction.atomic():
            claimed = (
                ReportSchedule.objects.filter(pk=schedule.pk)
                .exclude(last_period=code)
                .update(last_period=code)
            )
            if not claimed:
                continue
            try:
                report = editions.create_report(
                    organization,
                    schedule.created_by,
                    template=schedule.template,
                    fiscal_year=year,
                    quarter=quarter,
                    perspective=schedule.perspective,
                )
            except ReportRefused:
                continue  # nothing to report (no measures): the claim stands, nothing is sent
            Report.objects.filter(pk=report.pk).update(schedule=schedule)
            report.schedule = schedule
            edition = report.editions.get()
            due = today + dt.timedelta(days=schedule.commentary_days)
            with contextlib.suppress(ReportRefused):  # no item has an active owner
                commentary.request_commentary(edition, None, due)
            built.append(report)
    return built


def deliver(edition: Edition) -> int:
    """Email an approved edition of a scheduled report to each recipient, once each."""
    report = edition.report
    schedule = report.schedule
    if schedule is None or edition.status != EditionStatus.APPROVED:
        return 0
    addresses = schedule.recipient_list()
    members = set(
        Membership.objects.filter(
            organization_id=edition.organization_id, is_active=True, user__email__in=addresses
        ).values_list("user__email", flat=True)
    )
    for address in addresses:
        Delivery.objects.get_or_create(
            organization_id=edition.organization_id,
            edition=edition,
            address=address,
            defaults={"staff": address in members},
        )
    sent = 0
    for delivery in Delivery.objects.filter(edition=edition, sent_at=None):
        claimed = Delivery.objects.filter(pk=delivery.pk, sent_at=None).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            _send(edition, delivery)
        except emails.MAIL_ERRORS:
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


def _send(edition: Edition, delivery: Delivery) -> None:
    report = edition.report
    slug = report.organization.slug
    if delivery.staff:
        link = emails.site_url(reverse("reports:edition", args=[slug, report.pk, edition.number]))
    elif edition.published_at:
        link = emails.site_url(reverse("public:reports:edition", args=[slug, edition.public_id]))
    else:
        link = ""
    context = {"report": report, "edition": edition, "link": link, "staff": delivery.staff}
    message = EmailMultiAlternatives(
        subject=emails.one_line(f"{report.title} (edition {edition.number})"),
        body=render_to_string("emails/report_delivery.txt", context),
        to=[delivery.address],
    )
    message.attach_alternative(
        render_to_string("emails/report_delivery.html", context), "text/html"
    )
    if edition.pdf:
        edition.pdf.open("rb")
        message.attach(
            f"{slug}-report-{report.pk}-edition-{edition.number}.pdf",
            edition.pdf.read(),
            "application/pdf",
        )
        edition.pdf.close()
    message.send()
