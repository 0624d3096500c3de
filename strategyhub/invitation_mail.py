"""Invitation emails that reach the invitee even when the first attempt is lost.

``invite_member`` queues the email after commit. Each send claims the invitation first and
stamps ``emailed_at`` after (``strategyhub.email_claims``), so it goes out once. Two ways
back when it did not go out:

- the hourly sweep (:func:`requeue_unsent`, beat ``resend-unsent-invitations``) queues the
  email again for every pending invitation that was never emailed, once its own task has
  had :data:`GRACE` to run and any claim has timed out — a broker that was down when the
  admin invited (the enqueue failed and was logged), or a task that gave up after its last
  retry;
- the admin's "Send again" on the members page (:func:`send_again`), for an invitee who
  says the email never came (it may have been filtered, or deleted): the email is queued
  once more even if it was sent, and the page says when it was last sent.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from strategyhub import email_claims, language
from strategyhub.background import enqueue_on_commit
from strategyhub.emails import send_templated, site_url
from strategyhub.models import Invitation, Organization, User

GRACE = dt.timedelta(minutes=15)  # a just-made invitation's own task is still on its way


def queue(invitation: Invitation) -> None:
    enqueue_on_commit(
        "strategyhub.tasks.send_invitation_email",  # by name: that module imports this one
        organization_id=invitation.organization_id,
        invitation_id=invitation.pk,
    )


def send(invitation_id: int) -> bool:
    """Email the invitation link once; False for an invitation no longer pending or already
    emailed (or being emailed by another task)."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return False
    if not email_claims.claim(Invitation, invitation.pk):
        return False
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "accept_url": site_url(reverse("accept_invitation", args=[invitation.token])),
    }
    # Someone who already has an account is invited in their own language.
    invitee = User.objects.filter(email__iexact=invitation.email).first()
    speaks = language.for_recipient(invitee, invitation.organization)
    with translation.override(speaks):
        subject = gettext("You are invited to %(agency)s on StrategyHub") % {
            "agency": invitation.organization.name
        }
    with email_claims.released_on_failure(Invitation, [invitation.pk]):
        send_templated(invitation.email, subject, "invitation", context, language=speaks)
    email_claims.mark_sent(Invitation, [invitation.pk])
    return True


def send_again(invitation: Invitation) -> None:
    """The admin's "Send again": the email is queued once more (after commit)."""
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=None, email_claimed_at=None)
    queue(invitation)


def requeue_unsent(organization: Organization, now: dt.datetime | None = None) -> int:
    """Queue the email again for the agency's pending invitations never emailed; how many."""
    now = now or timezone.now()
    unsent = (
        Invitation.objects.filter(
            organization=organization,
            emailed_at=None,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=now,
            created_at__lte=now - GRACE,
        )
        .filter(Q(email_claimed_at=None) | Q(email_claimed_at__lt=now - email_claims.CLAIM_TIMEOUT))
        .order_by("pk")
    )
    queued = 0
    for invitation in unsent:
        queue(invitation)
        queued += 1
    return queued
