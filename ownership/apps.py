from django.apps import AppConfig


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = "Ownership and alerts"

    def ready(self):
        from strategyhub.members import member_deactivated

        member_deactivated.connect(_on_member_deactivated, dispatch_uid="ownership-deactivated")


def _on_member_deactivated(sender, membership, **kwargs):
    """Deactivating a member raises the "owner inactive" alerts at once (after commit)."""
    from ownership.tasks import owner_inactive_alerts
    from strategyhub.celery import enqueue_on_commit

    enqueue_on_commit(owner_inactive_alerts, organization_id=membership.organization_id)
