"""The admin's publishing page: preview, publish, unpublish, schedule, history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from publicdash import queries
from publicdash.models import PublicSite
from publicdash.publishing import publish, save_options, site_for, unpublish
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui.forms import UswdsFormMixin


class SiteForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = PublicSite
        fields = ["include_okrs", "schedule"]
        labels = {"include_okrs": _("Publish this quarter's OKRs with their scores")}


@require(Action.PUBLISH)
@require_http_methods(["GET", "POST"])
def page(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    site = site_for(request.organization)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        save_options(request.organization, form.save(commit=False), by=request.user)
        messages.success(request, gettext("Publishing options saved."))
        return redirect("publishing:page", org_slug)
    return render(
        request,
        "publicdash/staff.html",
        {
            "site": site,
            "form": form,
            "publications": queries.recent_publications(),
            "events": queries.recent_events(),
            "public_url": request.build_absolute_uri(
                reverse("public:home", args=[request.organization.slug])
            ),
        },
    )


@require(Action.PUBLISH)
def preview(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    document = queries.preview(request.organization)
    html = render_to_string(
        "publicdash/home.html",
        {
            "doc": document,
            "meta": {"published_at": timezone.now(), "version": document["version"]},
            "base": reverse("public:home", args=[org_slug]),
            "latest": True,
            "preview": True,
        },
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@require(Action.PUBLISH)
@require_POST
def do_publish(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    publication = publish(request.organization, by=request.user)
    messages.success(
        request, gettext("Edition %(version)s is now public.") % {"version": publication.version}
    )
    return redirect("publishing:page", org_slug)


@require(Action.PUBLISH)
@require_POST
def do_unpublish(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    unpublish(request.organization, by=request.user)
    messages.success(
        request, gettext("The public pages are down. Publish again to bring them back.")
    )
    return redirect("publishing:page", org_slug)
