"""Forms rendered with USWDS markup: label, hint, error message tied to the input with
``aria-describedby``, and ``aria-invalid`` on fields with errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from strategyhub.ui.formatting import format_plain
from strategyhub.ui.markup import escape_text

_WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
}


class _FastOptions:
    """Django's select markup written in Python, straight from the widget's choices: the
    template renders an include per option, and even Django's option dictionaries (an
    attribute copy per option) cost ~25 µs each, so a 400-option picker took ~10 ms; this
    takes well under 1 ms. Same markup (``tests/test_fast_widgets.py``): options carry no
    attribute but ``selected``, as Django's ``Select`` (``option_inherits_attrs`` is off)."""

    allow_multiple_selected: bool
    attrs: dict[str, Any]
    choices: Any
    build_attrs: Any
    format_value: Any

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget_attrs = self.build_attrs(self.attrs, attrs)
        multiple = self.allow_multiple_selected
        if multiple:
            widget_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        has_selected = False
        escape = escape_text
        parts: list[str] = [f'<select name="{escape(name)}"{flatatt(widget_attrs)}>']

        def option(option_value: Any, label: Any) -> str:
            nonlocal has_selected
            text = str(option_value)
            selected = (not has_selected or multiple) and text in wanted
            has_selected |= selected
            mark = " selected" if selected else ""
            return f'<option value="{escape(text)}"{mark}>{escape(label)}</option>'

        for option_value, label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every part escaped


class RowChoices(BaseChoiceIterator):
    """Model choice fields' options as (pk, label) rows, read with one query the first time
    a form is drawn and shared by every field given them (the strategy map's cause and
    effect pickers list the same objectives), instead of a model instance per option and
    per field. Set as the fields' *widget* choices, which is what is drawn; each field's
    queryset still checks what is submitted. (A ``BaseChoiceIterator``: Django leaves it
    lazy instead of reading it into a list when it is set.)"""

    def __init__(self, rows: Any, empty_label: str | Promise | None) -> None:
        self._rows = rows  # a shared one-item list: [values_list queryset, then its rows]
        self._empty_label = empty_label

    def __iter__(self) -> Any:
        if self._empty_label is not None:
            yield ("", self._empty_label)
        if not isinstance(self._rows[0], list):
            self._rows[0] = list(self._rows[0])
        yield from self._rows[0]

    def __copy__(self) -> RowChoices:
        return self  # widgets are copied with their form: the rows stay shared

    @classmethod
    def share(cls, rows: Any, *fields: forms.ModelChoiceField) -> None:
        """Draw ``fields`` (each with its own empty label) from one ``values_list("pk",
        label)`` queryset, read once when the first of them is drawn."""
        shared = [rows]
        for field in fields:
            field.widget.choices = cls(shared, field.empty_label)


class FastSelect(_FastOptions, forms.Select):
    pass


class FastSelectMultiple(_FastOptions, forms.SelectMultiple):
    pass


def _attributes(attrs: dict[str, Any]) -> str:
    """A widget's attributes as Django's ``attrs.html`` writes them, in their order: ``True``
    as the bare name, ``False`` left out, anything else as text, escaped."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


_TEXTAREA = "django/forms/widgets/textarea.html"
_STOCK_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime")
} | {"django/forms/widgets/time.html", "django/forms/widgets/checkbox.html", _TEXTAREA}


class _FastInput:
    """Django's ``input.html`` (text, number, email, date, hidden, checkbox …) and
    ``textarea.html`` written in Python, with the same markup: every widget costs two
    template includes otherwise, and My check-ins shows a form of six fields per key result
    (issue 17: a fifth of that page's first build and of the check-in answer)."""

    get_context: Any
    template_name: str

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if self.template_name not in _STOCK_TEMPLATES:  # a widget given its own template
            return super().render(name, value, attrs, renderer)  # type: ignore[misc]
        widget = self.get_context(name, value, attrs)["widget"]
        rest = _attributes(widget["attrs"])
        name_ = conditional_escape(widget["name"])
        if self.template_name == _TEXTAREA:
            text = conditional_escape(widget["value"]) if widget["value"] else ""
            return mark_safe(f'<textarea name="{name_}"{rest}>\n{text}</textarea>')  # noqa: S308
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # noqa: S308 (every text escaped)
            f'<input type="{conditional_escape(widget["type"])}" name="{name_}"{value_attr}{rest}>'
        )


class UswdsFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def widget_class(widget: forms.Widget) -> str:
    """The USWDS class of ``widget``'s control: ``usa-select``, ``usa-textarea``,
    ``usa-checkbox__input`` or ``usa-input``."""
    return next(
        (css for kind, css in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
        "usa-input",
    )


class DecimalInput(forms.TextInput):
    """A number typed as text (a number input silently drops what it cannot parse), with a
    decimal keypad, showing a stored Decimal as typed: 9.200000 → "9.2"
    (``formatting.format_plain``), not the column's six places."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return format_plain(value)
        return super().format_value(value)


_INPUTS: tuple[type[forms.Widget], ...] = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.Textarea,
    DecimalInput,
)

_FAST_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
    # Each with the stock template only (``_FastInput`` writes that template's markup).
    **{kind: type(f"Fast{kind.__name__}", (_FastInput, kind), {}) for kind in _INPUTS},
}


class UswdsBoundField(BoundField):
    """A field's control written with its USWDS class, and, once the form is validated with
    errors on it, ``aria-invalid`` and ``aria-describedby`` naming its message (then its
    hint). Done as it renders, from the bound field's own id (prefix included), so a widget a
    form replaces after ``__init__`` is styled too and prefixed forms point at the right
    message."""

    def as_widget(
        self,
        widget: forms.Widget | None = None,
        attrs: dict[str, Any] | None = None,
        only_initial: bool = False,
    ) -> SafeString:
        widget = widget or self.field.widget
        if type(widget) in _FAST_WIDGETS:
            widget.__class__ = _FAST_WIDGETS[type(widget)]  # same widget, faster render
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        classes = str(attrs.get("class") or widget.attrs.get("class") or "").split()
        wanted = [widget_class(widget)] + (["usa-input--error"] if self.errors else [])
        classes += [css for css in wanted if css not in classes]
        attrs["class"] = " ".join(classes)
        if self.errors:
            attrs["aria-invalid"] = "true"
            described = str(
                attrs.get("aria-describedby") or widget.attrs.get("aria-describedby") or ""
            ).split()
            if self.auto_id:
                ours = [f"{self.auto_id}_error"]
                if self.help_text and not self.use_fieldset:
                    ours.append(f"{self.auto_id}_helptext")
                described = ours + [d for d in described if d not in ours]
            if described:
                attrs["aria-describedby"] = " ".join(described)
        return attrs


@dataclass(frozen=True)
class Fieldset:
    """A group of a form's fields, rendered as a ``<fieldset>`` with ``legend`` and, when
    given, a ``help`` paragraph that the fieldset is described by (say there when the
    group applies, e.g. "Only for ranges": the fields stay visible, no script needed)."""

    legend: str | Promise
    fields: tuple[str, ...]
    help: str | Promise = ""


@dataclass(frozen=True)
class RenderedFieldset:
    """A ``Fieldset`` with the bound fields the form has of it, for the form template."""

    legend: str
    help: str
    id: str
    fields: list[tuple[BoundField, Any]]


def _first_control_id(bound: BoundField) -> str:
    """The id of ``bound``'s control, or of its first option for a group of radio buttons
    or checkboxes (which has no single control), else of its error message."""
    if bound.id_for_label:
        return bound.id_for_label
    options = bound.subwidgets
    first = options[0].id_for_label if options else ""
    return first or f"{bound.auto_id}_error"


class UswdsFormMixin:
    """USWDS classes and accessible error wiring on every field (``UswdsBoundField``), and
    the fast select markup.

    A form may declare ``fieldsets``: the shared template (``forms/form.html``) then renders
    each group in a ``<fieldset>`` with its legend and help, fields in no group after them,
    and above the form a summary of the fields in error linking to each. A form without
    ``fieldsets`` renders as a plain column of fields."""

    bound_field_class: type[BoundField] | None = UswdsBoundField
    fieldsets: ClassVar[tuple[Fieldset, ...]] = ()

    def get_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context()  # type: ignore[misc]
        if not self.fieldsets:
            return context
        form = cast("forms.BaseForm", self)
        visible = {bound.name: (bound, errors) for bound, errors in context["fields"]}
        groups = []
        for index, fieldset in enumerate(self.fieldsets, start=1):
            members = [visible.pop(name) for name in fieldset.fields if name in visible]
            if members:
                prefix = f"{form.prefix}-" if form.prefix else ""
                groups.append(
                    RenderedFieldset(
                        str(fieldset.legend),
                        str(fieldset.help),
                        f"{prefix}fieldset{index}",
                        members,
                    )
                )
        context["fieldsets"] = groups
        context["ungrouped"] = list(visible.values())
        context["error_links"] = [
            (_first_control_id(bound), bound.label, errors)
            for bound, errors in context["fields"]
            if errors
        ]
        return context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in cast("forms.BaseForm", self).fields.values():
            widget = field.widget
            if type(widget) in _FAST_WIDGETS:
                widget.__class__ = _FAST_WIDGETS[type(widget)]  # same widget, faster render
