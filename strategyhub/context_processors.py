from django.utils.functional import SimpleLazyObject

from strategyhub.models import agencies_of


def tenancy(request):
    """The agency in scope, the member's rights there, and (lazily) their other agencies."""
    user = getattr(request, "user", None)
    return {
        "agency": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
        "perms_here": getattr(request, "perms", None),
        "my_agencies": SimpleLazyObject(lambda: agencies_of(user) if user else []),
    }
