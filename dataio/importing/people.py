"""People in an import: the "Members" sheet, and every email another sheet names (owners,
authors, collaborators).

- An email with a membership here: that membership (its role, home unit and active state
  follow the sheet).
- An email with an account but no membership here (perhaps a member of another agency):
  a membership is made when the import is confirmed; the person's own record (name,
  password, sign-in) is never touched.
- An email without an account: an invitation (``strategyhub.members.invite_member``, with
  the row's Name, which pre-fills the invitee's account form), sent
  after the confirmed import commits, never on a dry run (the dry run rolls back, and the
  invitation's email is queued on commit). Items that name such a person are left without
  owner/author until they join (the preview says how many).
- A person named by another sheet who is on no "Members" row and has no membership (the
  author of an old check-in): they come back as an inactive member, as history needs.

The importing admin cannot remove their own admin access by import (the agency keeps an
admin: the rule the Members page applies).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from dataio import schema
from dataio.importing.context import Context
from dataio.importing.reader import Sheet as ReadSheet
from strategyhub import members as member_actions
from strategyhub.models import Invitation, Membership, User
from strategyhub.roles import Role

SHEET = "Members"


class People:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.memberships: dict[str, Membership] = {
            m.user.email.lower(): m
            for m in Membership.objects.filter(organization=ctx.organization).select_related("user")
        }
        self._users: dict[str, User | None] = {}
        self.invited: set[str] = set()
        self.without_account = 0

    def account(self, email: str) -> User | None:
        if email not in self._users:
            self._users[email] = User.objects.filter(email__iexact=email).first()
        return self._users[email]

    def user_for(self, email: str, sheet: str, row: int, column: str) -> User | None:
        """The account a cell names, made a member here if it is not (inactive), or None
        for someone who has no account yet (invited, or to be added to "Members")."""
        membership = self.memberships.get(email)
        if membership is not None:
            return membership.user
        user = self.account(email)
        if user is None:
            if email not in self.invited:
                self.ctx.problems.add(
                    'Nobody with this email is a member of this agency or on the "Members" '
                    "sheet; add them to that sheet.",
                    sheet=sheet,
                    row=row,
                    column=column,
                    value=email,
                )
            else:
                self.without_account += 1
            return None
        self.memberships[email] = Membership.objects.create(
            organization=self.ctx.organization,
            user=user,
            role=Role.VIEWER,
            is_active=False,
            deactivated_at=timezone.now(),
        )
        self.ctx.count(SHEET).created += 1
        self.ctx.notice(
            f"{email} comes back as an inactive member (named on “{sheet}”, not on “Members”)."
        )
        return user

    def write_members(self, spec: schema.Sheet, sheet: ReadSheet, rows: Iterable[Any]) -> None:
        """``rows``: (row number, {header: converted value}) of the "Members" sheet."""
        ctx = self.ctx
        units = ctx.index("Units")
        present = {heading for _letter, heading in sheet.headings}
        counts = ctx.count(SHEET)
        now = timezone.now()
        for number, values in rows:
            email = values["Email"]
            role = values.get("Role") or Role.VIEWER
            unit = None
            if values.get("Home unit"):
                unit = units.get(values["Home unit"])
                if unit is None:
                    ctx.problems.add(
                        'No unit has this Key on "Units" or in this agency.',
                        sheet=SHEET,
                        row=number,
                        column="Home unit",
                        value=values["Home unit"],
                    )
                    continue
            active = values.get("Active")
            active = True if active is None else active
            membership = self.memberships.get(email)
            if (
                ctx.user is not None
                and email == ctx.user.email.lower()
                and (role != Role.ADMIN or not active)
            ):
                ctx.problems.add(
                    "This is you: an import cannot take away your own admin access.",
                    sheet=SHEET,
                    row=number,
                    column="Role" if role != Role.ADMIN else "Active",
                    value=role if role != Role.ADMIN else "FALSE",
                )
                continue
            if membership is not None:
                changed = []
                if "Role" in present and membership.role != role:
                    membership.role = role
                    changed.append("role")
                if "Home unit" in present and membership.unit_id != (unit.pk if unit else None):
                    membership.unit = unit
                    changed.append("unit")
                if "Active" in present and membership.is_active != active:
                    membership.is_active = active
                    membership.deactivated_at = None if active else now
                    changed += ["is_active", "deactivated_at"]
                if changed:
                    membership.save(update_fields=changed)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
                continue
            user = self.account(email)
            if user is not None:
                self.memberships[email] = Membership.objects.create(
                    organization=ctx.organization,
                    user=user,
                    role=role,
                    unit=unit,
                    is_active=active,
                    deactivated_at=None if active else now,
                )
                counts.created += 1
                continue
            self.invited.add(email)
            if not active:
                ctx.notice(f"{email} was an inactive member and has no account: not invited.")
                counts.unchanged += 1
                continue
            pending = Invitation.objects.filter(
                organization=ctx.organization,
                email__iexact=email,
                accepted_at=None,
                revoked_at=None,
                expires_at__gt=now,
            ).first()
            if (
                pending is not None
                and pending.role == role
                and pending.unit_id == (unit.pk if unit else None)
            ):
                counts.unchanged += 1
                continue
            member_actions.invite_member(
                ctx.organization,
                email,
                role,
                ctx.user,
                unit=unit,
                full_name=values.get("Name") or "",  # pre-fills their account form
            )
            counts.created += 1
            ctx.notice(
                f"{email} has no account: invited (the email is sent when you confirm)."
                if ctx.dry_run
                else f"{email} has no account: invited."
            )
        ctx.written.add("strategyhub.Membership")
