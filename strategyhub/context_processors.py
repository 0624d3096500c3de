from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from strategyhub.models import organizations_of


def tenancy(request: HttpRequest) -> dict[str, Any]:
    """The agency in scope, the member's rights there, and (lazily) their other agencies."""
    user = getattr(request, "user", None)
    # Read with the request's membership on agency pages (``middleware.memberships_of``).
    read = getattr(request, "memberships", None)
    return {
        "organization": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
        "perms_here": getattr(request, "perms", None),
        "my_organizations": read
        if read is not None
        else SimpleLazyObject(lambda: organizations_of(user) if user else []),
    }
