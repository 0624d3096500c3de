"""Membership roles, from the most to the least powerful."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


ROLE_DESCRIPTIONS = {
    Role.ADMIN: "Manages members, units, settings and publishing; edits everything.",
    Role.EDITOR: "Edits the strategic plan and all OKRs.",
    Role.CONTRIBUTOR: "Edits and checks in on what they own or were granted.",
    Role.VIEWER: "Reads everything in the agency; changes nothing.",
}
