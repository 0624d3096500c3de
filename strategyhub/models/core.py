"""Tenancy core: users, agencies (organizations), the tenant base model and organisational
units.

Every tenant-owned model derives from ``TenantModel``: it carries its organization and its
default manager is django-scopes' ``ScopedManager``, so a query made while no agency is in
scope raises ``ScopeError`` instead of returning every agency's rows. ``TenantModel.save``
also refuses a foreign key to a row of another agency. Import these from
``strategyhub.models``, which gathers every model of the app.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope

from strategyhub.external_keys import external_key_constraint, external_key_field
from strategyhub.fiscal import (
    MONTH_NAMES,
    LabelStyle,
    fiscal_quarter_containing,
    fiscal_year_containing,
)
from strategyhub.language import AGENCY_CHOICES, PERSON_CHOICES, Language
from strategyhub.stamping import Stamped, StampedQuerySet
from strategyhub.ui.dates import DateStyle
from strategyhub.validators import validate_embed_origins, validate_plain_name

# --- Users ----------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalize(email: str) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize(username))

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with email and password; may belong to several agencies."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True, validators=[validate_plain_name])
    is_active = models.BooleanField(
        default=True, help_text=_("Unticking this blocks sign-in to every agency.")
    )
    is_staff = models.BooleanField(
        _("platform staff"), default=False, help_text=_("May sign in to Django admin.")
    )
    # A system (a nightly feed, a BI tool), made by an agency admin (api.service_accounts):
    # it never signs in (no usable password, refused by the sign-in adapter), acts through
    # API tokens only, and is nobody to pick as an owner, remind, digest or alert.
    is_service_account = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Their own language; empty: their agency's (strategyhub/language.py).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=PERSON_CHOICES,
        help_text=_("The language of your pages and emails."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize(self.email)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


# --- Agencies -------------------------------------------------------------------------------


class PerspectivePreset(models.TextChoices):
    CLASSIC_4 = "classic4", _("Classic Balanced Scorecard (4 perspectives)")
    GOVERNMENT_5 = "government5", _("Public sector (5 perspectives)")


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(
            gettext("%(value)s is not a known time zone (use a name such as America/Chicago)."),
            params={"value": value},
        )


def validate_logo_size(file) -> None:
    if file.size > 200 * 1024:
        raise ValidationError(gettext("The logo must be at most 200 KB."))


class Organization(models.Model):
    """An agency: the tenant. Not itself scoped; everything it owns is."""

    name = models.CharField(max_length=200, validators=[validate_plain_name])
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text=_("Used in web addresses (/o/<slug>/); lowercase letters, digits and hyphens."),
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=7,
        choices=[(i + 1, name) for i, name in enumerate(MONTH_NAMES)],
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The month the fiscal year starts on (the 1st of that month)."),
    )
    fiscal_year_label_style = models.CharField(
        _("Fiscal-year labels"),
        max_length=10,
        choices=[(style.value, style.description) for style in LabelStyle],
        default=LabelStyle.SPAN,
        help_text=(
            _(
                "How fiscal years and quarters are named on every page: by the years they span, "
                "or by the calendar year they end in (a year from October 2026 is FY 2027)."
            )
        ),
    )
    perspective_preset = models.CharField(
        max_length=20,
        choices=PerspectivePreset.choices,
        default=PerspectivePreset.GOVERNMENT_5,
        help_text=_("Chosen at creation; the strategic plan's perspectives start from it."),
    )
    is_active = models.BooleanField(
        default=True, help_text=_("An inactive agency's pages answer 404 to everyone.")
    )
    logo = models.FileField(
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"]), validate_logo_size],
        help_text=_("PNG, JPEG or SVG, at most 200 KB; shown on the public scorecard."),
    )
    embed_origins = models.JSONField(
        _("Sites that may embed the public scorecard"),
        default=list,
        blank=True,
        validators=[validate_embed_origins],
        help_text=_(
            "https origins (such as https://www.example.gov) allowed to show the public "
            "pages in a frame; empty: no site may."
        ),
    )
    # The agency's language and date style (strategyhub/language.py, strategyhub/ui/dates.py).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default=Language.ENGLISH,
        choices=AGENCY_CHOICES,
        help_text=_(
            "The language of the agency's pages, emails and public scorecard; each person "
            "may choose their own on their profile."
        ),
    )
    date_style = models.CharField(
        _("date style"),
        max_length=10,
        choices=DateStyle.choices,
        default=DateStyle.LONG,
        help_text=_("How dates are written on every page, email and report."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """Today's date in the agency's own time zone."""
        return timezone.now().astimezone(self.tz).date()

    def current_fiscal_year(self):
        return fiscal_year_containing(
            self.today(), self.fiscal_year_start_month, self.fiscal_year_label_style
        )

    def current_fiscal_quarter(self):
        return fiscal_quarter_containing(
            self.today(), self.fiscal_year_start_month, self.fiscal_year_label_style
        )


def fiscal_label_style(row: models.Model) -> str:
    """The fiscal-year label style of the agency owning ``row`` (a tenant row): from its
    cached organization, else the agency in scope, else one query."""
    organization_id = getattr(row, "organization_id", None)
    cached = row._state.fields_cache.get("organization")
    if isinstance(cached, Organization):
        return cached.fiscal_year_label_style
    if organization_id is None:
        return LabelStyle.SPAN
    in_scope = get_scope().get("organization")
    if isinstance(in_scope, Organization) and in_scope.pk == organization_id:
        return in_scope.fiscal_year_label_style
    style = (
        Organization.objects.filter(pk=organization_id)
        .values_list("fiscal_year_label_style", flat=True)
        .first()
    )
    return style or LabelStyle.SPAN


class CrossTenantReference(ValidationError):
    """A foreign key pointed at a row of another agency."""


class TenantModel(models.Model):
    """Base for every row an agency owns."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_set"
    )

    objects = ScopedManager(organization="organization")

    # User foreign keys (e.g. "owner") that must name a member of this agency.
    member_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_tenant_links()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.organization_id:
            self.check_tenant_links()

    def tenant_links(self):
        """Yield (field, related organization id) for each set FK to another tenant row."""
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "organization":
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, TenantModel)):
                continue
            value = getattr(self, field.attname)
            if value is None:
                continue
            cached = field.get_cached_value(self, default=None)
            if cached is not None and cached.pk == value:
                yield field, cached.organization_id
            else:
                org_id = (
                    related_model._base_manager.filter(pk=value)
                    .values_list("organization_id", flat=True)
                    .first()
                )
                yield field, org_id

    def check_tenant_links(self) -> None:
        errors = {
            field.name: "Choose an item of this agency."
            for field, org_id in self.tenant_links()
            if org_id != self.organization_id
        }
        # Memberships live in ``strategyhub.models.memberships``, which builds on this
        # module: looked up in the app registry so the imports run one way.
        membership = apps.get_model("strategyhub", "Membership")
        for name in self.member_fields:
            user_id = getattr(self, f"{name}_id")
            if user_id is not None and not (
                membership._base_manager.filter(
                    organization_id=self.organization_id, user_id=user_id
                ).exists()
            ):
                errors[name] = gettext("Choose a member of this agency.")
        if errors:
            raise CrossTenantReference(errors)


# --- Organisational units -------------------------------------------------------------------


class OrgUnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    DIVISION = "division", _("Division")
    TEAM = "team", _("Team")
    OFFICE = "office", _("Office")


class UnitQuerySet(StampedQuerySet):
    def tree_order(self) -> list[Unit]:
        """All units, depth-first, each with ``depth`` set (0 = top level). One query."""
        units = list(self.select_related("parent").order_by("order", "name"))
        children: dict[int | None, list[Unit]] = {}
        for unit in units:
            children.setdefault(unit.parent_id, []).append(unit)
        ordered: list[Unit] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for unit in children.get(parent_id, []):
                unit.depth = depth
                ordered.append(unit)
                walk(unit.pk, depth + 1)

        walk(None, 0)
        return ordered


class Unit(Stamped, TenantModel):
    """A department, division, team or office; units form a tree within the agency."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200, validators=[validate_plain_name])
    kind = models.CharField(max_length=20, choices=OrgUnitKind.choices, default=OrgUnitKind.TEAM)
    order = models.PositiveIntegerField(default=0)
    external_key = external_key_field("UNT")

    objects = ScopedManager(
        organization="organization", _manager_class=models.Manager.from_queryset(UnitQuerySet)
    )

    class Meta:
        ordering = ["order", "name"]
        permissions = [("edit_unit_items", "Can edit the items of this unit and its sub-units")]
        constraints = [
            external_key_constraint(),
            models.UniqueConstraint(
                fields=["organization", "parent", "name"],
                name="unit_name_unique_per_parent",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id and self.pk:
            # Walk up from the new parent: meeting ourselves would make a loop.
            seen: set[int] = set()
            node_id: int | None = self.parent_id
            while node_id is not None and node_id not in seen:
                if node_id == self.pk:
                    raise ValidationError(
                        {
                            "parent": gettext(
                                "A unit cannot sit inside itself or one of its own sub-units."
                            )
                        }
                    )
                seen.add(node_id)
                node_id = (
                    Unit._base_manager.filter(pk=node_id)
                    .values_list("parent_id", flat=True)
                    .first()
                )
