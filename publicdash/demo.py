"""Demo: Riverton's scorecard is published, so /p/riverton/ works at once."""

from django.dispatch import receiver

from publicdash.models import Publication
from publicdash.publishing import publish, site_for
from strategyhub import signals


def seed(organization, users, units) -> None:
    if not Publication.objects.filter(organization=organization).exists():
        site = site_for(organization)
        site.include_okrs = True
        site.save(update_fields=["include_okrs"])
        publish(organization, by=users["admin"])


@receiver(signals.seed_demo, dispatch_uid="publicdash-demo")
def _on_seed_demo(sender, organization, users, units, **kwargs) -> None:
    seed(organization, users, units)
