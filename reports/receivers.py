"""How the council report answers the core's signals (connected in ``ReportsConfig.ready``):
it adds the commentary asked of the signed-in person to the agency overview."""

from __future__ import annotations

from django.dispatch import receiver

from strategyhub import signals


@receiver(signals.overview_sections, dispatch_uid="reports-overview")
def overview_section(sender, request, today, **kwargs):
    from reports.home import overview_section as section

    return section(request, today)
