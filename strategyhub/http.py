"""What the tenant middleware adds to a request, for type checkers and readers.

Views under ``/o/<slug>/`` receive a request on which ``TenantMiddleware`` has set the
agency (``organization``), the signed-in member's ``membership`` and their ``perms``
(computed once per request); ``django_htmx``'s middleware adds ``htmx``. Annotating a view's
request as ``OrganizationRequest`` says so, and lets mypy check the attribute uses. Public
views (``/p/<slug>/``) get ``PublicRequest``: an agency, no membership.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from strategyhub.models import Membership, Organization, User
    from strategyhub.permissions import MemberPermissions


class PublicRequest(HttpRequest):
    organization: Organization
    htmx: HtmxDetails


class OrganizationRequest(PublicRequest):
    user: User  # signed in: never AnonymousUser here
    membership: Membership
    perms: MemberPermissions
