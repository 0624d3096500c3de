"""Demo: raise today's alerts for the demo agency (in the app; no emails at seeding)."""

from django.dispatch import receiver

from ownership import alerts as alert_service
from strategyhub import signals
from strategyhub.models import Organization


def seed(organization: Organization, users, units) -> None:
    alert_service.raise_alerts(
        organization, alert_service.drafts_for(organization, organization.today())
    )


@receiver(signals.seed_demo, dispatch_uid="ownership-demo")
def _on_seed_demo(sender, organization, users, units, **kwargs) -> None:
    seed(organization, users, units)
