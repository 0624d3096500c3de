"""Raising alerts (idempotently), resolving the fixed ones, claiming them for email (at most
once) and emailing an alert at once (the ``send_alert_email`` task lives here, beside the
claim it relies on; ``ownership.tasks`` imports it so Celery registers it).

Every alert has a de-duplication key ``kind:item_type:item_id:period:recipient`` with a
unique constraint, so a scan that runs twice, is retried, or runs on two workers at once
raises each alert once (``bulk_create(ignore_conflicts=True)``). Emails are claimed with a
conditional UPDATE before sending, so each is sent once; a claim left by a worker that died
is released after ``CLAIM_TIMEOUT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from okrs.models import Cycle, CycleKind
from ownership import emails
from ownership.models import Alert, AlertKind, Delivery, NotificationPreference
from ownership.owners import viewer_member_ids
from ownership.report import OwnedItem, collect_items
from ownership.rules import OwnerState
from strategyhub import email_claims, language, signals
from strategyhub.background import TenantTask, enqueue_on_commit
from strategyhub.emails import MAIL_ERRORS, send_templated, site_url
from strategyhub.models import Membership, Organization
from strategyhub.roles import Role
from strategyhub.ui import dates

CLAIM_TIMEOUT = email_claims.CLAIM_TIMEOUT

# Kinds emailed at once unless the member chose otherwise.
DEFAULT_DELIVERY = {
    AlertKind.UNOWNED: Delivery.WEEKLY,
    AlertKind.OWNER_INACTIVE: Delivery.IMMEDIATE,
    AlertKind.CHECKIN_DUE: Delivery.IMMEDIATE,
    AlertKind.CHECKIN_OVERDUE: Delivery.IMMEDIATE,
    AlertKind.KR_BEHIND: Delivery.DAILY,
    AlertKind.MEASURE_OFF_TRACK: Delivery.IMMEDIATE,
    AlertKind.MEASURE_STALE: Delivery.DAILY,
    AlertKind.KR_MISSED_THREE: Delivery.IMMEDIATE,
    AlertKind.CYCLE_CLOSING: Delivery.IMMEDIATE,
}


@dataclass(frozen=True)
class Draft:
    kind: str
    item_type: str
    item_id: int
    item_label: str
    url: str
    message: str
    period: str
    recipient_id: int

    @property
    def key(self) -> str:
        return ":".join(
            [self.kind, self.item_type, str(self.item_id), self.period, str(self.recipient_id)]
        )


def week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def admin_ids() -> list[int]:
    return list(
        Membership.objects.active().filter(role=Role.ADMIN).values_list("user_id", flat=True)
    )


def drafts_for(organization: Organization, today: dt.date) -> list[Draft]:
    """Every alert the agency's state calls for today."""
    items = collect_items(organization, today)
    admins = admin_ids()
    viewers = viewer_member_ids(organization)  # active, but they cannot update what they own
    week = week_key(today)
    drafts: list[Draft] = []

    def add(
        kind: str, item: OwnedItem, message: str, period: str, recipients: Sequence[int]
    ) -> None:
        for recipient in recipients:
            drafts.append(
                Draft(
                    kind, item.type, item.id, item.label[:300], item.url, message, period, recipient
                )
            )

    for item in items:
        owner_ids = [item.owner.pk] if item.owner else []  # the owner, as recipients
        if item.state == OwnerState.UNOWNED:
            add(
                AlertKind.UNOWNED,
                item,
                gettext("%(type)s “%(item)s” has no owner.")
                % {"type": item.type_label, "item": item.label},
                week,
                admins,
            )
        elif item.state == OwnerState.OWNER_INACTIVE and item.owner is not None:  # always set
            name = item.owner.display_name
            add(
                AlertKind.OWNER_INACTIVE,
                item,
                (
                    gettext(
                        "The owner of “%(item)s”, %(name)s, is a viewer: owner cannot update it."
                    )
                    if item.owner.pk in viewers
                    else gettext("The owner of “%(item)s”, %(name)s, is no longer active.")
                )
                % {"item": item.label, "name": name},
                week,
                admins,
            )
        elif item.state == OwnerState.STALE and item.type == "key_result":
            add(
                AlertKind.CHECKIN_OVERDUE,
                item,
                gettext("Check-in overdue on “%(item)s” (%(detail)s).")
                % {"item": item.label, "detail": item.detail},
                week,
                owner_ids,
            )
        elif item.state == OwnerState.STALE and item.type == "measure":
            add(
                AlertKind.MEASURE_STALE,
                item,
                gettext("“%(item)s” is stale: %(detail)s.")
                % {"item": item.label, "detail": item.detail},
                week,
                owner_ids,
            )
        recipients = owner_ids if owner_ids and item.state != OwnerState.OWNER_INACTIVE else admins
        if item.type == "key_result" and item.status == "off_track":
            add(
                AlertKind.KR_BEHIND,
                item,
                gettext("“%(item)s” is well behind pace.") % {"item": item.label},
                week,
                recipients,
            )
        if item.type == "measure" and item.status == "off_track":
            add(
                AlertKind.MEASURE_OFF_TRACK,
                item,
                gettext("“%(item)s” is off track.") % {"item": item.label},
                today.strftime("%Y-%m"),
                recipients,
            )
        if item.type == "strategic_objective" and item.extra.get("review_flag"):
            add(
                AlertKind.KR_MISSED_THREE,
                item,
                gettext("“%(item)s” is flagged for the annual review: %(reason)s")
                % {"item": item.label, "reason": item.extra["review_flag"]},
                "flag",
                recipients,
            )
    closing = Cycle.objects.filter(
        kind=CycleKind.QUARTER, end__gte=today, end__lte=today + dt.timedelta(days=7)
    ).exclude(status="closed")
    for cycle in closing:
        owners = {
            i.owner.pk
            for i in items
            if i.type == "key_result" and i.owner and i.extra.get("cycle") == cycle
        }
        for recipient in sorted(owners | set(admins)):
            drafts.append(
                Draft(
                    AlertKind.CYCLE_CLOSING,
                    "cycle",
                    cycle.pk,
                    cycle.label,
                    "",
                    gettext("%(cycle)s closes on %(day)s: time for the review.")
                    % {"cycle": cycle.label, "day": dates.month_day(cycle.end)},
                    cycle.label,
                    recipient,
                )
            )
    return drafts


def raise_alerts(organization: Organization, drafts: list[Draft]) -> list[Alert]:
    """Insert the drafts that are new; return them. Safe to run twice or concurrently."""
    if not drafts:
        return []
    keys = {d.key for d in drafts}
    existing = set(Alert.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh = {d.key: d for d in drafts if d.key not in existing}
    Alert.objects.bulk_create(
        [
            Alert(
                organization=organization,
                recipient_id=d.recipient_id,
                kind=d.kind,
                item_type=d.item_type,
                item_id=d.item_id,
                item_label=d.item_label,
                url=d.url,
                message=d.message[:500],
                period=d.period,
                dedupe_key=key,
            )
            for key, d in fresh.items()
        ],
        ignore_conflicts=True,
    )
    created = list(Alert.objects.filter(dedupe_key__in=fresh.keys()))
    for recipient_id in {d.recipient_id for d in fresh.values()}:
        mine = [alert.pk for alert in created if alert.recipient_id == recipient_id]
        signals.person_changed(recipient_id, "ownership.Alert", mine)  # their notification bell
    return created


def resolve_fixed(drafts: list[Draft]) -> int:
    """Close open alerts whose condition no longer holds (they are not raised again for the
    same period even if the problem comes back)."""
    still = {(d.kind, d.item_type, d.item_id) for d in drafts}
    stale = [
        (pk, recipient_id)
        for pk, recipient_id, kind, item_type, item_id in Alert.objects.open()
        .exclude(kind=AlertKind.CHECKIN_DUE)
        .values_list("pk", "recipient_id", "kind", "item_type", "item_id")
        if (kind, item_type, item_id) not in still
    ]
    for recipient_id in {recipient_id for _, recipient_id in stale}:
        mine = [pk for pk, owner in stale if owner == recipient_id]
        signals.person_changed(recipient_id, "ownership.Alert", mine)  # their notification bell
    return Alert.objects.filter(pk__in=[pk for pk, _ in stale]).update(resolved_at=timezone.now())


def delivery_for(user_id: int, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY[AlertKind(kind)]


def claim_for_email(alert_id: int) -> bool:
    """True for exactly one caller per alert (conditional UPDATE), until the claim times out."""
    return email_claims.claim(Alert, alert_id, CLAIM_TIMEOUT)


@transaction.atomic
def scan(organization: Organization, today: dt.date | None = None) -> dict[str, int]:
    """Raise what is due, resolve what was fixed, and queue emails for immediate alerts."""
    today = today or organization.today()
    drafts = drafts_for(organization, today)
    created = raise_alerts(organization, drafts)
    resolved = resolve_fixed(drafts)
    queue_emails(organization, created)
    return {"raised": len(created), "resolved": resolved, "wanted": len(drafts)}


def queue_emails(organization: Organization, alerts: list[Alert]) -> None:
    """Queue ``send_alert_email`` (after commit) for the alerts their recipient wants at once."""
    for alert in alerts:
        if delivery_for(alert.recipient_id, alert.kind) == Delivery.IMMEDIATE:
            enqueue_on_commit(send_alert_email, organization_id=organization.pk, alert_id=alert.pk)


# --- One email per alert, never twice -------------------------------------------------------


def email_alert(organization_id: int, alert_id: int, *, retrying: bool) -> bool:
    """Email one alert to its recipient unless it was emailed already; True when sent.
    A first attempt must win the claim; a retry of the same task already holds it."""
    alert = Alert.objects.select_related("recipient", "organization").filter(pk=alert_id).first()
    if alert is None or alert.emailed_at is not None:
        return False
    if not retrying and not claim_for_email(alert.pk):
        return False
    recipient = alert.recipient
    fallback = reverse("ownership:notifications", args=[alert.organization.slug])
    link = site_url(alert.url or fallback)
    token = emails.unsubscribe_token(organization_id, recipient.pk, alert.kind)
    unsubscribe = site_url(reverse("unsubscribe", args=[token]))
    speaks = language.for_recipient(recipient, alert.organization)
    with translation.override(speaks):
        subject = gettext("[%(agency)s] %(kind)s: %(item)s") % {
            "agency": alert.organization.name,
            "kind": alert.get_kind_display(),
            "item": alert.item_label,
        }
    send_templated(
        recipient.email,
        subject,
        "alert",
        {
            "alert": alert,
            "link": link,
            "unsubscribe": unsubscribe,
            "organization": alert.organization,
        },
        headers=emails.unsubscribe_headers(unsubscribe),
        language=speaks,
    )
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())
    return True


@shared_task(
    name="ownership.tasks.send_alert_email",
    base=TenantTask,
    bind=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_alert_email(self: TenantTask, *, organization_id: int, alert_id: int) -> bool:
    return email_alert(organization_id, alert_id, retrying=self.request.retries > 0)
