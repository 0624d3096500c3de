"""The generated agency is published."""

from django.dispatch import receiver

from publicdash.publishing import publish
from strategyhub import signals


def generate(organization, scale, rng, context) -> None:
    publish(organization, by=context["users"][0])


@receiver(signals.generate_organization, dispatch_uid="publicdash-generate")
def _on_generate_organization(sender, organization, scale, rng, context, **kwargs) -> None:
    generate(organization, scale, rng, context)
