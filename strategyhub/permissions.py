"""What may this member do here?

Role rights are computed once per request (``MemberPermissions`` on ``request.perms``, set by
the tenant middleware). Object-level grants use django-guardian and are checked in bulk for a
whole list, never one query per row.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from guardian.shortcuts import get_objects_for_user

from strategyhub.models import Membership, Unit, User
from strategyhub.roles import Role


class Action(enum.StrEnum):
    VIEW = "view"  # read everything in the agency
    CHECK_IN_OWN = "check_in_own"  # check in on and edit items one owns or was granted
    EDIT_PLAN = "edit_plan"  # the strategic plan: objectives, measures, targets
    EDIT_ALL_OKRS = "edit_all_okrs"  # every OKR objective and key result
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, deactivate
    MANAGE_UNITS = "manage_units"  # the organisational tree and unit grants
    MANAGE_SETTINGS = "manage_settings"
    PUBLISH = "publish"
    MOVE_DATA = "move_data"  # export and import the agency's whole workbook (every email)


_VIEWER = frozenset({Action.VIEW})
_CONTRIBUTOR = _VIEWER | {Action.CHECK_IN_OWN}
_EDITOR = _CONTRIBUTOR | {Action.EDIT_PLAN, Action.EDIT_ALL_OKRS}
_ADMIN = _EDITOR | {
    Action.MANAGE_MEMBERS,
    Action.MANAGE_UNITS,
    Action.MANAGE_SETTINGS,
    Action.PUBLISH,
    Action.MOVE_DATA,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: _VIEWER,
    Role.CONTRIBUTOR: _CONTRIBUTOR,
    Role.EDITOR: _EDITOR,
    Role.ADMIN: _ADMIN,
}

UNIT_EDIT_PERMISSION = "strategyhub.edit_unit_items"


@dataclass
class MemberPermissions:
    """A member's rights in one agency, for one request."""

    membership: Membership
    actions: frozenset[Action] = field(init=False)

    def __post_init__(self) -> None:
        self.actions = ROLE_ACTIONS[self.membership.role]

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, action: Action | str) -> bool:
        return Action(action) in self.actions

    def __getitem__(self, action: str) -> bool:
        """Template access: ``{% if perms_here.manage_members %}``."""
        return self.can(action)

    def editable_unit_ids(self, units: Iterable[Unit]) -> set[int]:
        """Ids among ``units`` whose items this member may edit, in two queries at most.

        Editors and admins edit every unit. A contributor edits a unit when granted
        ``edit_unit_items`` on it or on one of its ancestors (a grant on a department
        covers its divisions and teams). ``units`` must carry ``parent_id``.
        """
        return self.editable_among({unit.pk for unit in units})

    def can_edit_unit(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.editable_among({unit_id})

    def editable_among(self, unit_ids: set[int]) -> set[int]:
        if self.can(Action.EDIT_ALL_OKRS):
            return set(unit_ids)
        if not self.can(Action.CHECK_IN_OWN) or not unit_ids:
            return set()
        granted = set(
            granted_units(self.membership.user, Unit.objects.all()).values_list("pk", flat=True)
        )
        if not granted:
            return set()
        parent_of = dict(Unit.objects.values_list("pk", "parent_id"))
        editable = set()
        for unit_id in unit_ids:
            node: int | None = unit_id
            while node is not None:
                if node in granted:
                    editable.add(unit_id)
                    break
                node = parent_of.get(node)
        return editable


def granted_units(user: User, units_queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units of ``units_queryset`` on which ``user`` holds an explicit edit grant.

    ``units_queryset`` must be tenant-scoped. Global permissions and superuser status are
    deliberately ignored: a grant is always on a row of this agency (the pitfall of
    guardian's defaults is that they return every row to a superuser).
    """
    return get_objects_for_user(
        user,
        UNIT_EDIT_PERMISSION,
        klass=units_queryset,
        accept_global_perms=False,
        with_superuser=False,
        use_groups=False,
    )


_P = ParamSpec("_P")
_R = TypeVar("_R")
_Request = TypeVar("_Request", bound=HttpRequest)


def require(
    action: Action,
) -> Callable[[Callable[Concatenate[_Request, _P], _R]], Callable[Concatenate[_Request, _P], _R]]:
    """View decorator: 403 unless the member's role allows ``action`` here.

    Membership itself (anonymous → login, other agency → 404) is enforced by the tenant
    middleware before any view runs.
    """

    def decorator(
        view: Callable[Concatenate[_Request, _P], _R],
    ) -> Callable[Concatenate[_Request, _P], _R]:
        @wraps(view)
        def wrapped(request: _Request, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            perms = getattr(request, "perms", None)
            if perms is None or not perms.can(action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
