import time

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from okrs.keyresults import recompute_scores
from okrs.rollup import recompute_rollups
from scorecards import state
from scorecards.models import Measure
from strategyhub.models import Organization


class Command(BaseCommand):
    help = (
        "Recompute every key result's and OKR objective's stored score, then every measure "
        "calculated from key results, for every period with check-ins, then every measure's "
        "stored state (latest value, status, progress, trend)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", help="Only this agency (default: every agency)")

    def handle(self, *args, slug=None, **options):
        organizations = Organization.objects.filter(is_active=True)
        if slug:
            organizations = organizations.filter(slug=slug)
            if not organizations.exists():
                raise CommandError(f"No active agency with the slug {slug!r}.")
        started = time.perf_counter()
        total = 0
        for organization in organizations:
            with scope(organization=organization):
                scores = recompute_scores(organization)
                count = recompute_rollups(organization)
                states = state.refresh_all(Measure.objects.filter(organization=organization))
            total += count
            self.stdout.write(
                f"{organization.slug}: {scores} score(s), {count} measure period(s) and "
                f"{states} measure state(s) recomputed"
            )
        self.stdout.write(f"Done in {time.perf_counter() - started:.2f} s ({total} in all).")
