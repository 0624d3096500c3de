"""How ownership answers the core's signals (connected in ``OwnershipConfig.ready``)."""

from __future__ import annotations

from django.dispatch import receiver

from strategyhub import signals
from strategyhub.background import enqueue_on_commit
from strategyhub.models import Membership


@receiver(signals.member_deactivated, sender=Membership, dispatch_uid="ownership-deactivated")
def raise_owner_inactive_alerts(sender, membership, **kwargs) -> None:
    """Deactivating a member raises the "owner inactive" alerts at once (after commit)."""
    from ownership.tasks import owner_inactive_alerts

    enqueue_on_commit(owner_inactive_alerts, organization_id=membership.organization_id)
