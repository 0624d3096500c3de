"""The generated agency is published."""

from publicdash.services import publish


def generate(agency, scale, rng, context) -> None:
    publish(agency, by=context["users"][0])
