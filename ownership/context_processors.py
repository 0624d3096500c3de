from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ownership.models import Alert


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Unread alerts of the member in the agency in scope, for the header bell (lazy: one
    count query, only on pages that show the bell)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "unread_alerts": SimpleLazyObject(lambda: Alert.objects.unread_for(request.user).count())
    }
