"""Forms rendered with USWDS markup: label, hint, error message tied to the input with
``aria-describedby``, and ``aria-invalid`` on fields with errors."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
}


class UswdsFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class UswdsFormMixin:
    """Adds USWDS classes to widgets and accessible error wiring after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "usa-input",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["class"] = attrs.get("class", "") + " usa-input--error"
            error_id = f"{self.auto_id % name}_error" if self.auto_id else f"{name}_error"
            described = attrs.get("aria-describedby", "")
            if error_id not in described:
                attrs["aria-describedby"] = f"{error_id} {described}".strip()
