"""Each unit's stable key in the agency's workbooks (``strategyhub.external_keys``): added
nullable, filled for every existing row, then required and unique per agency."""

from django.db import migrations

from strategyhub.external_keys import migration_operations


class Migration(migrations.Migration):
    dependencies = [("strategyhub", "0008_language_and_date_style")]

    operations = migration_operations("strategyhub", {"unit": "UNT"}, historical=set())
