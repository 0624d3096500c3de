"""Celery tasks of ownership and alerts. Tasks take ids, run inside the agency's scope
(TenantTask), are enqueued after commit, and are idempotent."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from celery import shared_task
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from okrs.models import CheckIn, CycleKind, KeyResult
from ownership import alerts as alert_service
from ownership.models import Alert, AlertKind, Delivery
from ownership.rules import OwnerState
from ownership.services import collect_items, settings_for
from strategyhub.celery import TenantTask
from strategyhub.models import Organization, User
from strategyhub.tasks import site_url

log = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
UNSUBSCRIBE_SALT = "strategyhub.unsubscribe"


def unsubscribe_token(organization_id: int, user_id: int, kind: str) -> str:
    return signing.dumps({"o": organization_id, "u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def _send(to: str, subject: str, template: str, context: dict, unsubscribe: str | None) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"emails/{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    if unsubscribe:
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.send()


# --- Fan-out --------------------------------------------------------------------------------


@shared_task
def scan_all_agencies() -> int:
    """Daily: one scan task per active agency."""
    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        scan_agency.delay(organization_id=organization_id)
    return len(ids)


@shared_task(base=TenantTask)
def scan_agency(*, organization_id: int) -> dict:
    return alert_service.scan(Organization.objects.get(pk=organization_id))


# --- One email per alert, never twice -------------------------------------------------------


@shared_task(
    base=TenantTask, bind=True, autoretry_for=MAIL_ERRORS, retry_backoff=True,
    retry_backoff_max=3600, max_retries=8,
)  # fmt: skip
def send_alert_email(self, *, organization_id: int, alert_id: int) -> bool:
    alert = Alert.objects.select_related("recipient", "organization").filter(pk=alert_id).first()
    if alert is None or alert.emailed_at is not None:
        return False
    # A retry of this same task already holds the claim; anyone else must win it.
    if self.request.retries == 0 and not alert_service.claim_for_email(alert.pk):
        return False
    recipient = alert.recipient
    fallback = reverse("ownership:notifications", args=[alert.organization.slug])
    link = site_url(alert.url or fallback)
    unsubscribe = site_url(
        reverse("unsubscribe", args=[unsubscribe_token(organization_id, recipient.pk, alert.kind)])
    )
    _send(
        recipient.email,
        f"[{alert.organization.name}] {alert.get_kind_display()}: {alert.item_label}",
        "alert",
        {"alert": alert, "link": link, "unsubscribe": unsubscribe, "agency": alert.organization},
        unsubscribe,
    )
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())
    return True


# --- Check-in reminders on the agency's day, in its time zone --------------------------------


@shared_task
def checkin_reminders_everywhere() -> int:
    """Hourly: agencies whose local weekday and hour are their reminder time get reminders."""
    sent = 0
    for organization in Organization.objects.filter(is_active=True):
        local = timezone.now().astimezone(organization.tz)
        with scope(organization=organization):
            row = settings_for(organization)
            if local.weekday() == row.checkin_weekday and local.hour == row.reminder_hour:
                remind_checkins.delay(organization_id=organization.pk)
                sent += 1
    return sent


@shared_task(base=TenantTask)
def remind_checkins(*, organization_id: int, today: str | None = None) -> int:
    """ "Check-in due" for every owned key result of a running quarter without a check-in
    this week. Raised once per result and week, however often this runs."""
    organization = Organization.objects.get(pk=organization_id)
    day = dt.date.fromisoformat(today) if today else organization.today()
    week_start = day - dt.timedelta(days=day.weekday())
    done = set(
        CheckIn.objects.filter(as_of__gte=week_start, as_of__lte=day).values_list(
            "key_result_id", flat=True
        )
    )
    due = KeyResult.objects.filter(
        archived_at=None, owner__isnull=False, objective__archived_at=None,
        objective__cycle__kind=CycleKind.QUARTER, objective__cycle__start__lte=day,
        objective__cycle__end__gte=day,
    ).exclude(pk__in=done)  # fmt: skip
    slug = organization.slug
    drafts = [
        alert_service.Draft(
            AlertKind.CHECKIN_DUE,
            "key_result",
            kr.pk,
            kr.title[:300],
            reverse("okrs:my_checkins", args=[slug]),
            f"Your weekly check-in on “{kr.title}” is due.",
            alert_service.week_key(day),
            kr.owner_id,
        )
        for kr in due
    ]
    created = alert_service.raise_alerts(organization, drafts)
    alert_service.queue_emails(organization, created)
    return len(created)


# --- Digests --------------------------------------------------------------------------------


@shared_task
def digests_everywhere(frequency: str) -> int:
    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        send_digests.delay(organization_id=organization_id, frequency=frequency)
        if frequency == Delivery.WEEKLY:
            send_unowned_digest.delay(organization_id=organization_id)
    return len(ids)


@shared_task(base=TenantTask, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=8)
def send_digests(*, organization_id: int, frequency: str) -> int:
    """One email per member with the not-yet-emailed alerts of the kinds they want as a
    daily or weekly digest. Alerts are claimed first, so a re-run sends nothing twice."""
    organization = Organization.objects.get(pk=organization_id)
    pending = list(
        Alert.objects.open()
        .filter(emailed_at=None)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Alert]] = {}
    for alert in pending:
        if alert_service.delivery_for(alert.recipient_id, alert.kind) == frequency:
            by_user.setdefault(alert.recipient_id, []).append(alert)
    sent = 0
    for _user_id, alerts in by_user.items():
        mine = [a for a in alerts if alert_service.claim_for_email(a.pk)]
        if not mine:
            continue
        user = mine[0].recipient
        _send(
            user.email,
            f"[{organization.name}] Your {frequency} digest: {len(mine)} alert(s)",
            "digest",
            {
                "alerts": mine, "agency": organization, "user": user, "frequency": frequency,
                "base": site_url(""),
                "preferences": site_url(reverse("ownership:preferences", args=[organization.slug])),
            },
            None,
        )  # fmt: skip
        Alert.objects.filter(pk__in=[a.pk for a in mine]).update(emailed_at=timezone.now())
        sent += 1
    return sent


@shared_task(base=TenantTask, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=8)
def send_unowned_digest(*, organization_id: int) -> int:
    """Weekly to agency admins: everything unowned or whose owner is inactive. An agency can
    switch it off only by saying why (ownership settings)."""
    organization = Organization.objects.get(pk=organization_id)
    if not settings_for(organization).weekly_unowned_digest:
        return 0
    today = organization.today()
    gaps = [
        i for i in collect_items(organization, today)
        if i.state in (OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE)
    ]  # fmt: skip
    week = alert_service.week_key(today)
    sent = 0
    for admin in User.objects.filter(pk__in=alert_service.admin_ids()):
        # One per admin and week: a marker alert with a unique key is the claim.
        marker = alert_service.raise_alerts(
            organization,
            [alert_service.Draft(AlertKind.UNOWNED, "digest", 0, "Weekly ownership digest",
                                 reverse("ownership:page", args=[organization.slug]),
                                 f"{len(gaps)} item(s) without an active owner.", week, admin.pk)],
        )  # fmt: skip
        if not marker or not alert_service.claim_for_email(marker[0].pk):
            continue
        _send(
            admin.email,
            f"[{organization.name}] {len(gaps)} item(s) without an active owner",
            "unowned_digest",
            {"gaps": gaps, "agency": organization, "base": site_url(""),
             "page": site_url(reverse("ownership:page", args=[organization.slug]))},
            None,
        )  # fmt: skip
        Alert.objects.filter(pk=marker[0].pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


# --- Deactivation ---------------------------------------------------------------------------


@shared_task(base=TenantTask)
def owner_inactive_alerts(*, organization_id: int) -> dict:
    """Raised at once when a member is deactivated (the full scan raises the same alerts,
    de-duplicated)."""
    return alert_service.scan(Organization.objects.get(pk=organization_id))
