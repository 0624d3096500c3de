"""Membership roles, from the most to the least powerful."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Manages members, units, settings and publishing; edits everything.",
    Role.EDITOR: "Edits the strategic plan and all OKRs.",
    Role.CONTRIBUTOR: "Edits and checks in on what they own or were granted.",
    Role.VIEWER: "Reads everything in the agency; changes nothing.",
}
