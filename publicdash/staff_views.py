"""The admin's publishing page: preview, publish, unpublish, schedule, history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from publicdash.models import Publication, PublicationEvent, PublicSite
from publicdash.services import preview as build_preview
from publicdash.services import publish, site_for, unpublish
from strategyhub.forms_rendering import UswdsFormMixin
from strategyhub.permissions import Action, require


class SiteForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = PublicSite
        fields = ["include_okrs", "schedule"]
        labels = {"include_okrs": "Publish this quarter's OKRs with their scores"}


@require(Action.PUBLISH)
@require_http_methods(["GET", "POST"])
def page(request, org_slug: str):
    site = site_for(request.organization)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        form.save()
        PublicationEvent.objects.create(
            organization=request.organization, action="settings", by=request.user,
            detail=f"OKRs {'on' if site.include_okrs else 'off'}; schedule "
            f"{site.get_schedule_display().lower()}",
        )  # fmt: skip
        messages.success(request, "Publishing options saved.")
        return redirect("publishing:page", org_slug)
    return render(
        request,
        "publicdash/staff.html",
        {
            "site": site,
            "form": form,
            "publications": list(
                Publication.objects.select_related("published_by").order_by("-version")[:20]
            ),
            "events": list(PublicationEvent.objects.select_related("by")[:30]),
            "public_url": request.build_absolute_uri(
                reverse("public:home", args=[request.organization.slug])
            ),
        },
    )


@require(Action.PUBLISH)
def preview(request, org_slug: str):
    document = build_preview(request.organization)
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
def do_publish(request, org_slug: str):
    publication = publish(request.organization, by=request.user)
    messages.success(request, f"Edition {publication.version} is now public.")
    return redirect("publishing:page", org_slug)


@require(Action.PUBLISH)
@require_POST
def do_unpublish(request, org_slug: str):
    unpublish(request.organization, by=request.user)
    messages.success(request, "The public pages are down. Publish again to bring them back.")
    return redirect("publishing:page", org_slug)
