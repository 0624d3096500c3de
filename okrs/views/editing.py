"""The edit page objectives and key results share (the scorecard's edit template)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def edit_page(
    request: HttpRequest, form: forms.BaseForm, title: str, back_url: str
) -> HttpResponse:
    return render(
        request,
        "scorecards/edit.html",
        {"form": form, "title": title, "back_url": back_url},
        status=400 if form.errors else 200,
    )
