"""The core app's models, one module per capability, all importable from here (Django loads
them from this package, and ``from strategyhub.models import X`` is how the project names
them):

- ``core``: users, agencies (organizations), the tenant base model ``TenantModel`` and
  organisational units;
- ``memberships``: memberships in agencies and invitations to join one;
- ``system``: the platform's own bookkeeping (cache invalidations to replay, idempotency
  keys).

Every tenant-owned model derives from ``TenantModel``: it carries its organization and its
default manager is django-scopes' ``ScopedManager``, so a query made while no agency is in
scope raises ``ScopeError`` instead of returning every agency's rows. ``TenantModel.save``
also refuses a foreign key to a row of another agency.

The modules are imported in the order their models were always defined in (``core``
first: the others build on it; the ``# isort: split`` lines keep it), so the models register,
and a new database gets its content types and permissions, in the same order as before.
"""

from strategyhub.models.core import (
    CrossTenantReference,
    Organization,
    OrgUnitKind,
    PerspectivePreset,
    TenantModel,
    Unit,
    UnitQuerySet,
    User,
    UserManager,
    fiscal_label_style,
    validate_logo_size,
    validate_timezone,
)

# isort: split
from strategyhub.models.memberships import (
    INVITATION_PROBLEMS,
    Invitation,
    InvitationState,
    Membership,
    MembershipQuerySet,
    organizations_of,
)

# isort: split
from strategyhub.models.system import IdempotencyKey, PendingInvalidation

__all__ = [
    "INVITATION_PROBLEMS",
    "CrossTenantReference",
    "IdempotencyKey",
    "Invitation",
    "InvitationState",
    "Membership",
    "MembershipQuerySet",
    "OrgUnitKind",
    "Organization",
    "PendingInvalidation",
    "PerspectivePreset",
    "TenantModel",
    "Unit",
    "UnitQuerySet",
    "User",
    "UserManager",
    "fiscal_label_style",
    "organizations_of",
    "validate_logo_size",
    "validate_timezone",
]
