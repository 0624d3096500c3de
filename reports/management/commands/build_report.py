"""``manage.py build_report --slug S --period P --format pdf|html --out FILE``: a report of
the agency's active plan for period P ("Q1 FY 2026–27", "FY 2026–27" or "2026-Q1",
"2026-FY"), built from the data now as a draft edition, written to FILE."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from reports import editions, pdf, render
from reports.forms import parse_period, period_choices
from scorecards.models import PlanStatus, StrategicPlan
from strategyhub.models import Organization


class Command(BaseCommand):
    help = "Build a report for a period and write it as PDF or HTML."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("--template", default="")
        parser.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["slug"]).first()
        if organization is None:
            raise CommandError(f"No agency {options['slug']!r}.")
        with scope(organization=organization):
            plan = StrategicPlan.objects.filter(status=PlanStatus.ACTIVE).first()
            if plan is None:
                raise CommandError("The agency has no active plan.")
            wanted = options["period"].strip()
            labels = {
                label.removesuffix(" (the whole year)"): code
                for code, label in period_choices(plan, organization)
            }
            code = labels.get(wanted, wanted)
            try:
                year, quarter = parse_period(code)
            except ValueError:
                raise CommandError(
                    f"Unknown period {wanted!r}: use e.g. {next(iter(labels))!r}."
                ) from None
            template = options["template"] or ("council_quarterly" if quarter else "annual")
            try:
                report = editions.create_report(
                    organization, None, template=template, fiscal_year=year, quarter=quarter
                )
            except editions.ReportRefused as exc:
                raise CommandError(str(exc)) from exc
            edition = report.editions.get()
            if options["format"] == "html":
                data = render.render_document(edition).encode("utf-8")
            else:
                if problem := pdf.unavailable():
                    raise CommandError(problem)
                data = pdf.render_pdf(edition)
        with open(options["out"], "wb") as out:
            out.write(data)
        self.stdout.write(f"{report.title}: {options['out']} ({len(data):,} bytes)")
