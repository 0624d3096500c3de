"""Digest emails: each member's daily or weekly digest of the alerts they chose to get that
way, and the weekly digest to admins of everything without an active owner. Alerts (and a
marker alert per admin and week) are claimed before sending, so a re-run sends nothing
twice; when sending fails the claims are released, so the task's retry sends the digest
(before this, the retry found everything claimed and the digest waited for the next
period)."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from ownership import alerts
from ownership.models import Alert, AlertKind
from ownership.owners import settings_for
from ownership.report import collect_items
from ownership.rules import OwnerState
from strategyhub import email_claims, language
from strategyhub.emails import send_templated, site_url
from strategyhub.models import Organization, User


def _released_on_failure(alert_ids: list[int]) -> AbstractContextManager[None]:
    """Release the email claims on ``alert_ids`` when the block raises (then re-raise)."""
    return email_claims.released_on_failure(Alert, alert_ids)


def digest_subject(agency: str, frequency: str, count: int) -> str:
    """A member's digest subject, in the active language."""
    if frequency == "daily":
        text = ngettext(
            "[%(agency)s] Your daily digest: %(count)d alert",
            "[%(agency)s] Your daily digest: %(count)d alerts",
            count,
        )
    else:
        text = ngettext(
            "[%(agency)s] Your weekly digest: %(count)d alert",
            "[%(agency)s] Your weekly digest: %(count)d alerts",
            count,
        )
    return text % {"agency": agency, "count": count}


def unowned_subject(agency: str, count: int) -> str:
    """The admins' weekly digest subject, in the active language."""
    return ngettext(
        "[%(agency)s] %(count)d item without an active owner",
        "[%(agency)s] %(count)d items without an active owner",
        count,
    ) % {"agency": agency, "count": count}


def send_digests(organization: Organization, frequency: str) -> int:
    """One email per member with the not-yet-emailed alerts of the kinds they want as a
    ``frequency`` ("daily" or "weekly") digest. Returns how many emails were sent."""
    pending = list(
        Alert.objects.open()
        .filter(emailed_at=None)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Alert]] = {}
    for alert in pending:
        if alerts.delivery_for(alert.recipient_id, alert.kind) == frequency:
            by_user.setdefault(alert.recipient_id, []).append(alert)
    sent = 0
    for _user_id, theirs in by_user.items():
        mine = [a for a in theirs if alerts.claim_for_email(a.pk)]
        if not mine:
            continue
        user = mine[0].recipient
        speaks = language.for_recipient(user, organization)
        with translation.override(speaks):
            subject = digest_subject(organization.name, frequency, len(mine))
        with _released_on_failure([a.pk for a in mine]):
            send_templated(
                user.email,
                subject,
                "digest",
                {
                    "alerts": mine,
                    "organization": organization,
                    "user": user,
                    "frequency": frequency,
                    "base": site_url(""),
                    "preferences": site_url(
                        reverse("ownership:preferences", args=[organization.slug])
                    ),
                },
                language=speaks,
            )
        Alert.objects.filter(pk__in=[a.pk for a in mine]).update(emailed_at=timezone.now())
        sent += 1
    return sent


def send_unowned_digest(organization: Organization) -> int:
    """Weekly to agency admins: everything unowned or whose owner is inactive. An agency can
    switch it off only by saying why (ownership settings). Returns how many were sent."""
    if not settings_for(organization).weekly_unowned_digest:
        return 0
    today = organization.today()
    gaps = [
        i
        for i in collect_items(organization, today)
        if i.state in (OwnerState.UNOWNED, OwnerState.OWNER_INACTIVE)
    ]
    week = alerts.week_key(today)
    sent = 0
    for admin in User.objects.filter(pk__in=alerts.admin_ids()):
        # One per admin and week: a marker alert with a unique key, emailed once. A marker
        # left unsent by a failed attempt (a retry, a re-run) is sent now, not skipped.
        draft = alerts.Draft(
            AlertKind.UNOWNED,
            "digest",
            0,
            gettext("Weekly ownership digest"),
            reverse("ownership:page", args=[organization.slug]),
            ngettext(
                "%(count)d item without an active owner.",
                "%(count)d items without an active owner.",
                len(gaps),
            )
            % {"count": len(gaps)},
            week,
            admin.pk,
        )
        alerts.raise_alerts(organization, [draft])
        marker = Alert.objects.filter(dedupe_key=draft.key, emailed_at=None).first()
        if marker is None or not alerts.claim_for_email(marker.pk):
            continue
        speaks = language.for_recipient(admin, organization)
        with translation.override(speaks):
            subject = unowned_subject(organization.name, len(gaps))
        with _released_on_failure([marker.pk]):
            send_templated(
                admin.email,
                subject,
                "unowned_digest",
                {
                    "gaps": gaps,
                    "organization": organization,
                    "base": site_url(""),
                    "page": site_url(reverse("ownership:page", args=[organization.slug])),
                },
                language=speaks,
            )
        Alert.objects.filter(pk=marker.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
