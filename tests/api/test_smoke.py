import pytest

pytestmark = pytest.mark.usefixtures("clock")


def test_reads(api, org_a, measure_a, kr_response, make_token):
    token = make_token(org_a, "viewer", scope="read").secret
    for path in [
        "/plans",
        "/perspectives",
        "/themes",
        "/objectives",
        "/measures",
        f"/measures/{measure_a.pk}",
        f"/measures/{measure_a.pk}/values",
        "/cycles",
        "/okr-objectives",
        "/key-results",
        "/check-ins",
        "/units",
        "/owners",
    ]:
        r = api.get(path, token)
        assert r.status_code == 200, (path, r.content)
        print(path, r.json())
