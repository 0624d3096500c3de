from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ownership.queries import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Unread alerts of the member in the agency in scope, for the header bell (lazy: one
    count statement, only on pages that show the bell: ``queries.unread_count``)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "unread_alerts": SimpleLazyObject(
            lambda: unread_count(membership.organization_id, membership.user_id)
        )
    }
