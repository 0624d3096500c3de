"""publicdash's receivers: an agency's saved settings take its cached public pages down.

The fast path (``publicdash.fastpath``) replays a stored page with the framing headers it
was stored with (the agency's embed origins). When the agency is saved (its settings page:
name, logo, embed origins) the live mark is deleted, so the next request goes through the
views, which store the page again with the current origins. Agency saves are rare (a
settings change), and the rendered bodies stay cached, so this costs one ordinary request.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def on_organization_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        return
    from publicdash import fastpath

    fastpath.mark_down(instance.slug)


def connect() -> None:
    from strategyhub.models import Organization

    post_save.connect(
        on_organization_saved, sender=Organization, dispatch_uid="publicdash.organization_saved"
    )
