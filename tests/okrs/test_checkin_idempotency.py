"""A double-clicked check-in stores one row: the form's idempotency key, guarded in
PostgreSQL (strategyhub.idempotency), also when the two submits arrive at the same time."""

import re
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from okrs.models import CheckIn
from strategyhub import idempotency
from strategyhub.models import IdempotencyKey

pytestmark = pytest.mark.usefixtures("clock")

KEY = "k" * 32


def _post(client, kr, htmx=True, **data):
    payload = {f"kr{kr.pk}-{k}": v for k, v in data.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("okrs:checkin", args=["alpha", kr.pk]), payload, headers=headers)


def _count(org):
    with scope(organization=org):
        return CheckIn.objects.count()


def test_a_double_clicked_check_in_is_saved_once(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    entry = {"as_of": "2026-11-20", "value": "8.6", "idempotency_key": KEY}
    first = _post(client, kr_response, **entry)
    second = _post(client, kr_response, **entry)
    assert first.status_code == second.status_code == 200
    assert _count(org_a.org) == 1
    assert "Average response time now 8.6 min" in second.content.decode()
    # Without JavaScript too: the repeat lands on the page, with nothing saved twice.
    again = _post(client, kr_response, htmx=False, **entry)
    assert again.status_code == 302
    assert _count(org_a.org) == 1


def test_another_key_is_another_check_in(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    _post(client, kr_response, as_of="2026-11-20", value="8.6", idempotency_key=KEY)
    _post(client, kr_response, as_of="2026-11-21", value="8.4", idempotency_key="j" * 32)
    assert _count(org_a.org) == 2


def test_a_refused_check_in_does_not_spend_its_key(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    refused = _post(client, kr_response, as_of="2026-11-20", value="", idempotency_key=KEY)
    assert refused.status_code == 400
    assert KEY in refused.content.decode()  # the form comes back with the same key
    ok = _post(client, kr_response, as_of="2026-11-20", value="8.6", idempotency_key=KEY)
    assert ok.status_code == 200 and _count(org_a.org) == 1


def test_each_response_of_a_cached_page_gets_fresh_keys(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    url = reverse("okrs:my_checkins", args=["alpha"])

    def keys():
        body = client.get(url).content.decode()
        return re.findall(r'name="kr\d+-idempotency_key" value="([^"]+)"', body)

    first, second = keys(), keys()
    assert first and second and len(set(first)) == len(first)
    assert not set(first) & set(second)
    assert idempotency.PLACEHOLDER not in "".join(first + second)
    assert all(idempotency.valid_key(k) for k in first)


def test_an_old_form_without_a_key_still_saves(client, org_a, kr_response):
    client.force_login(org_a.contributor)
    assert _post(client, kr_response, as_of="2026-11-20", value="8.6").status_code == 200
    assert _count(org_a.org) == 1
    with scopes_disabled():
        assert IdempotencyKey.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_time_write_once(org_a):
    """The second blocks on the unique index until the first commits, then replays it."""
    runs = []
    outcomes = []

    def action():
        runs.append(1)
        time.sleep(0.3)  # the second request arrives while the first is still writing
        return "done"

    def submit():
        try:
            with scopes_disabled():
                outcomes.append(
                    idempotency.run_once(
                        org_a.org, org_a.editor, "test.scope", KEY, action, lambda r: {"r": r}
                    )
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 1
    assert sorted(o.replayed for o in outcomes) == [False, True]
    assert all(o.summary == {"r": "done"} for o in outcomes)


def test_a_key_reused_for_another_request_is_refused(org_a):
    with scopes_disabled():
        idempotency.run_once(
            org_a.org, org_a.editor, "api.x", KEY, lambda: 1, lambda r: {}, fingerprint="a"
        )
        with pytest.raises(idempotency.KeyReused):
            idempotency.run_once(
                org_a.org, org_a.editor, "api.x", KEY, lambda: 1, lambda r: {}, fingerprint="b"
            )


def test_old_keys_are_pruned(org_a):
    import datetime as dt

    from django.utils import timezone

    with scopes_disabled():
        idempotency.run_once(org_a.org, org_a.editor, "x", KEY, lambda: 1, lambda r: {})
        assert idempotency.prune(timezone.now()) == 0
        assert idempotency.prune(timezone.now() + dt.timedelta(days=2)) == 1
