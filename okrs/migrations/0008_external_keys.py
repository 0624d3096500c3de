"""Each OKR item's stable key in the agency's workbooks (``strategyhub.external_keys``):
added nullable, filled for every existing row (and its history rows), then required and
unique per agency."""

from django.db import migrations

from strategyhub.external_keys import migration_operations


class Migration(migrations.Migration):
    dependencies = [("okrs", "0007_updated_at")]

    operations = migration_operations(
        "okrs",
        {"cycle": "CYC", "okrobjective": "OKR", "keyresult": "KR", "checkin": "CHK"},
        historical={"cycle", "okrobjective", "keyresult", "checkin"},
    )
