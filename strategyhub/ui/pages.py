"""The page every app's edit views share: one form, its title, a way back (and, where
something can be deleted, a delete button), rendered by ``templates/form_page.html``."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    back_url: str,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The edit page of ``form``: 400 when the form has errors, else ``status``; ``extra``
    adds to the context (``delete_url`` shows the delete button)."""
    context = {"form": form, "title": title, "back_url": back_url, **(extra or {})}
    return render(request, "form_page.html", context, status=400 if form.errors else status)
