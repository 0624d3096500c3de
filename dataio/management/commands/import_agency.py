from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from dataio.importing import reader
from dataio.importing.importer import import_book
from dataio.importing.problems import ImportRefused
from strategyhub.models import Organization


class Command(BaseCommand):
    help = (
        "Import a workbook (.xlsx) or a zip of CSV files into an agency, all or nothing "
        "(docs/data.md). Prints what was (with --dry-run: would be) created, updated and "
        "left alone per sheet, and every problem; exits with status 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="The agency to import into.")
        parser.add_argument("file", help="The workbook (.xlsx) or zip of CSV files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count only; change nothing."
        )

    def handle(self, *args, slug, file, dry_run, **options):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No agency with the slug {slug!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        try:
            book = reader.read(path.read_bytes(), path.name)
        except ImportRefused as refusal:
            for problem in refusal.problems:
                self.stderr.write(str(problem))
            raise CommandError("Nothing was imported.") from None
        with book, scope(organization=organization):  # rows are read as the import goes
            outcome = import_book(organization, None, book, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{organization.name}: rows that {verb} created / updated / unchanged")
        for sheet, counts in outcome.counts.items():
            self.stdout.write(
                f"  {sheet}: {counts['created']} / {counts['updated']} / {counts['unchanged']}"
            )
        for notice in outcome.notices:
            self.stdout.write(f"Note: {notice}")
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            hidden = len(outcome.problems) - len(outcome.problems.kept)
            if hidden:
                self.stderr.write(f"... and {hidden} more.")
            raise CommandError(
                f"{len(outcome.problems)} problem(s): nothing was imported, nothing changed."
            )
        self.stdout.write("Dry run: nothing changed." if dry_run else "Imported.")
