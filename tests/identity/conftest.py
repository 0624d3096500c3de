import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_rate_limits_left_over():
    """allauth counts requests in the cache, which a test's rollback does not undo."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("allauth:rl:*")
    else:
        cache.clear()
    yield


from tests.identity.sso_support import idp, idp_server  # noqa: E402, F401 - the SSO tests' provider
