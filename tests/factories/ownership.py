"""Ownership: alerts."""

import factory

from ownership.models import Alert, AlertKind
from tests.factories._tenant import TenantFactory


class AlertFactory(TenantFactory):
    """An unread "item has no owner" alert to ``recipient`` (a member of the agency)."""

    class Meta:
        model = Alert

    recipient = factory.SubFactory("tests.factories.tenancy.UserFactory")
    kind = AlertKind.UNOWNED
    item_type = "measure"
    item_id = 1
    item_label = "A measure"
    url = "/"
    message = "This measure has no owner."
    period = "2026-11"
    dedupe_key = factory.Sequence(lambda n: f"test-alert-{n}")
