"""The generated agency is published."""

from django.dispatch import receiver

from publicdash.publishing import publish
from strategyhub import signals


def generate(agency, scale, rng, context) -> None:
    publish(agency, by=context["users"][0])


@receiver(signals.generate_agency, dispatch_uid="publicdash-generate")
def _on_generate_agency(sender, organization, scale, rng, context, **kwargs) -> None:
    generate(organization, scale, rng, context)
