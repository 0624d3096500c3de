"""Exactly-once email delivery for rows that carry ``emailed_at`` and ``email_claimed_at``
(alerts, invitations): a sender claims the row with a conditional UPDATE before sending and
stamps ``emailed_at`` after, so a task retry, a catch-up sweep and an admin's "send again"
never send one email twice. A claim whose sender died is free again after a timeout; a
sender whose sending fails releases its claim at once, so its own retry can send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.utils import timezone

CLAIM_TIMEOUT = dt.timedelta(hours=1)


def claim(model: type[models.Model], pk: int, timeout: dt.timedelta = CLAIM_TIMEOUT) -> bool:
    """True for exactly one caller per unsent row, until its claim times out."""
    now = timezone.now()
    unsent = model._default_manager.filter(pk=pk, emailed_at=None)
    if unsent.filter(email_claimed_at=None).update(email_claimed_at=now) == 1:
        return True
    return unsent.filter(email_claimed_at__lt=now - timeout).update(email_claimed_at=now) == 1


def mark_sent(model: type[models.Model], pks: list[int]) -> None:
    model._default_manager.filter(pk__in=pks).update(emailed_at=timezone.now())


@contextmanager
def released_on_failure(model: type[models.Model], pks: list[int]) -> Iterator[None]:
    """Release the claims on ``pks`` when the block raises (then re-raise)."""
    try:
        yield
    except BaseException:
        model._default_manager.filter(pk__in=pks, emailed_at=None).update(email_claimed_at=None)
        raise
