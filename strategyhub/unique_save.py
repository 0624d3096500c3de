"""Saving a model form whose unique constraint another request may win first.

A double-clicked "create" sends two requests that both pass the form's own uniqueness
check before either is committed; the second then hits the database's unique constraint.
:func:`save_unique` turns that into an error on the form (shown like any other, 400)
instead of a 500. The constraint in PostgreSQL stays the real guard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import IntegrityError, transaction


def save_unique(
    form: forms.ModelForm,
    save: Callable[[Any], Any] | None = None,
    field: str = "name",
    message: str = "Another entry with this name was just saved; choose another name.",
) -> Any:
    """Save a valid model form (with ``save(form)`` when given, else ``form.save()``) in
    its own savepoint; a unique constraint that refuses it becomes ``message`` on ``field``
    and the result is None."""
    try:
        with transaction.atomic():
            return save(form) if save else form.save()
    except IntegrityError:
        form.add_error(field if field in form.fields else None, message)
        return None
