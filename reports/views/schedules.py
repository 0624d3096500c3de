"""Report schedules (admins): list, create, stop."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reports import delivery
from reports.models import Cadence, ReportSchedule, Template
from reports.refusals import ReportRefused
from scorecards.models import Perspective, PlanStatus
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require


class ScheduleForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=Template.choices)
    cadence = forms.ChoiceField(label=_("How often"), choices=Cadence.choices)
    perspective = forms.ModelChoiceField(
        label=_("Perspective"),
        queryset=Perspective.objects.none(),
        required=False,
        help_text=_("For the one-perspective template only."),
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Email addresses, one a line: staff, or outside (e.g. the council clerk)."),
    )
    commentary_days = forms.IntegerField(
        label=_("Days for the owners' commentary"), min_value=1, max_value=60, initial=10
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["perspective"].queryset = Perspective.objects.filter(
            plan__status=PlanStatus.ACTIVE
        )


@require(Action.PUBLISH)
def schedules(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    form = ScheduleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delivery.create_schedule(
                    request.organization,
                    request.user,
                    template=data["template"],
                    cadence=data["cadence"],
                    recipients=data["recipients"],
                    perspective=data.get("perspective"),
                    commentary_days=data["commentary_days"],
                )
            except ReportRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, gettext("Scheduled."))
                return redirect(reverse("reports:schedules", args=[org_slug]))
        status = 400
    return render(
        request,
        "reports/schedules.html",
        {"form": form, "schedules": ReportSchedule.objects.select_related("perspective")},
        status=status,
    )


@require(Action.PUBLISH)
@require_POST
def schedule_stop(request: OrganizationRequest, org_slug: str, schedule_id: int) -> HttpResponse:
    schedule = get_object_or_404(ReportSchedule, pk=schedule_id)
    ReportSchedule.objects.filter(pk=schedule.pk).update(is_active=False)
    messages.success(request, gettext("“%(schedule)s” is stopped.") % {"schedule": schedule})
    return redirect(reverse("reports:schedules", args=[org_slug]))
