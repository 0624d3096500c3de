"""``manage.py export_agency --slug S --out FILE.xlsx`` (or ``FILE.zip``): everything the
agency owns, as the Data page's download (docs/data.md)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataio import export
from strategyhub.models import Organization


class Command(BaseCommand):
    help = "Export everything an agency owns as a workbook (.xlsx) or a zip of CSV files (.zip)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="The agency's slug.")
        parser.add_argument(
            "--out", required=True, help="The file to write: its ending (.xlsx or .zip) decides."
        )

    def handle(self, *args, slug: str, out: str, **options):
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in export.FORMATS:
            raise CommandError(f"Write to a .xlsx or a .zip file, not {path.name!r}.")
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"There is no agency with the slug {slug!r}.")
        started = time.monotonic()
        export.write(organization, fmt, path)
        seconds = time.monotonic() - started
        size = path.stat().st_size
        self.stdout.write(
            f"Exported {organization.name} to {path} ({size:,} bytes in {seconds:.1f} s)."
        )
