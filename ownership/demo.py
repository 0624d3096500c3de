"""Demo: raise today's alerts for the demo agency (in the app; no emails at seeding)."""

from ownership import alerts as alert_service
from strategyhub.models import Organization


def seed(agency: Organization, users, units) -> None:
    alert_service.raise_alerts(agency, alert_service.drafts_for(agency, agency.today()))
