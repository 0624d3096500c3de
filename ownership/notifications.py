"""A member's notifications, as writes: marking alerts read, saving how each kind of alert
reaches them, and the one-click unsubscribe from an email link. Marking read announces the
change to what only that person sees (their bell) through ``strategyhub.signals``."""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from ownership.models import Alert, AlertKind, NotificationPreference
from strategyhub import signals
from strategyhub.models import Organization, User


def mark_read(user: User, alert_id: int | None = None) -> int:
    """Mark one of the member's unread alerts read, or all of them; returns how many."""
    mine = Alert.objects.filter(recipient=user, read_at=None)
    if alert_id is not None:
        mine = mine.filter(pk=alert_id)
    count = mine.update(read_at=timezone.now())
    ids = () if alert_id is None else (alert_id,)
    signals.person_changed(user.pk, "ownership.Alert", ids)  # the bell in their header
    return count


def save_preferences(organization: Organization, user: User, choices: dict[str, str]) -> None:
    """Store the member's delivery (kind of alert → delivery) in the agency in scope."""
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            organization=organization, user=user, kind=kind, defaults={"delivery": delivery}
        )


def unsubscribe(organization: Organization, user_id: int, kind: AlertKind) -> None:
    """Turn one kind of email off for a person, from the signed link of an email (called
    outside any agency's URL, so it opens the agency's scope itself)."""
    with scope(organization=organization):
        NotificationPreference.objects.update_or_create(
            organization=organization, user_id=user_id, kind=kind, defaults={"delivery": "off"}
        )
