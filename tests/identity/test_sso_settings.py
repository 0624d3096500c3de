"""The agency admin's single sign-on settings: the provider's discovery document fetched
only over https from public addresses, the pages' forms and messages, and the email
domains verified by a DNS TXT record (a real DNS server on a free port) or by a
confirmed mailbox, unique across agencies."""

import re
import socket
import threading

import dns.message
import dns.rcode
import dns.rrset
import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.identity.sessions import SIGNED_IN_VIA
from strategyhub.identity.sso import configure, domains, fetch
from strategyhub.identity.sso.models import EmailDomain, IdentityProvider
from tests.identity.sso_helpers import set_up_oidc

PROVIDER = reverse("agency:sso_provider", args=["alpha"])
DOMAINS = reverse("agency:sso_domains", args=["alpha"])


def _settings(issuer, **kw):
    values = {
        "issuer": issuer,
        "client_id": "c",
        "client_auth": "client_secret_post",
        "client_secret": "s",
        "display_name": "",
        "default_role": "viewer",
        "group_claim": "groups",
        "enabled": True,
    }
    return configure.OidcSettings(**{**values, **kw})


@pytest.mark.parametrize(
    "issuer, says",
    [
        ("https://127.0.0.1/o", "private or local address"),
        ("https://localhost/o", "private or local address"),
        ("https://10.20.30.40/o", "private or local address"),
        ("https://169.254.169.254/latest", "private or local address"),
        ("https://[::1]/o", "private or local address"),
        ("http://login.example.gov/o", "not an https address"),
    ],
)
def test_discovery_only_from_public_https_addresses(org_a, issuer, says):
    with pytest.raises(configure.ConfigurationError, match=says):
        configure.save_oidc(org_a.org, _settings(issuer))
    with scopes_disabled():
        assert not IdentityProvider._base_manager.exists()


def test_loopback_is_refused_unless_the_setting_allows_it(idp_server, settings):
    url = f"{idp_server.issuer}/.well-known/openid-configuration"
    settings.STRATEGYHUB_SSO_ALLOW_LOOPBACK = False
    with pytest.raises(fetch.UnsafeURL):
        fetch.get_document(url)
    settings.STRATEGYHUB_SSO_ALLOW_LOOPBACK = True
    assert fetch.get_document(url).json()["issuer"] == idp_server.issuer


def test_the_page_saves_a_provider_and_shows_its_redirect_uri(client, idp, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        PROVIDER,
        {
            "issuer": idp.issuer,
            "client_id": "strategyhub-alpha",
            "client_auth": "client_secret_post",
            "client_secret": "typed-secret-123",
            "default_role": "contributor",
            "group_claim": "groups",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(PROVIDER)
    assert page.status_code == 200
    with scopes_disabled():
        provider = IdentityProvider._base_manager.get(organization=org_a.org)
    assert provider.default_role == "contributor"
    assert provider.offline_access  # offered by the provider: asked for (refresh tokens)
    callback = reverse("agency_oidc_callback", kwargs={"provider_id": provider.app_id})
    assert callback.encode() in page.content
    assert b"typed-secret-123" not in page.content


def test_a_refused_issuer_keeps_the_form_with_a_message(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        PROVIDER,
        {
            "issuer": "https://10.0.0.5/o",
            "client_id": "x",
            "client_auth": "client_secret_post",
            "client_secret": "y",
            "default_role": "viewer",
        },
    )
    assert response.status_code == 400
    assert b"private or local address" in response.content
    assert b'value="x"' in response.content  # nothing typed is lost


def test_a_client_auth_the_provider_does_not_offer_is_refused(idp, org_a):
    with pytest.raises(configure.ConfigurationError, match="does not accept"):
        configure.save_oidc(org_a.org, _settings(idp.issuer, client_auth="tls_client_auth"))


def test_group_mapping_lines_are_checked(client, idp, org_a):
    set_up_oidc(idp, org_a.org)
    client.force_login(org_a.admin)
    url = reverse("agency:sso_mapping", args=["alpha"])
    response = client.post(url, {"role_mapping": "Planners = boss"})
    assert response.status_code == 400
    assert "“boss” is not a role".encode() in response.content
    assert client.post(url, {"role_mapping": "Planners = editor"}).status_code == 302
    with scopes_disabled():
        assert IdentityProvider._base_manager.get().role_mapping == [
            {"group": "Planners", "role": "editor"}
        ]


def test_requiring_sso_needs_the_admins_own_sso_sign_in(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("agency:sign_in_policy", args=["alpha"]),
        {"mfa_required": "off", "sso_required": "on"},
    )
    assert response.status_code == 400
    assert b"Sign in through the agency" in response.content


@pytest.fixture
def dns_server(settings):
    """A real DNS server (dnspython's messages over UDP) answering TXT questions."""
    records: dict[str, list[str]] = {}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))  # a free port
    port = sock.getsockname()[1]
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                data, address = sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            answer = dns.message.make_response(query)
            question = query.question[0]
            texts = records.get(question.name.to_text().rstrip("."))
            if texts:
                quoted = [f'"{text}"' for text in texts]
                answer.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", *quoted))
            else:
                answer.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(answer.to_wire(), address)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.STRATEGYHUB_DNS_NAMESERVERS = [f"127.0.0.1:{port}"]
    yield records
    stop.set()
    thread.join()
    sock.close()


def test_a_domain_is_verified_by_its_txt_record(client, org_a, dns_server):
    client.force_login(org_a.admin)
    assert client.post(DOMAINS, {"domain": "Alpha.Test"}).status_code == 302
    with scopes_disabled():
        row = EmailDomain._base_manager.get(organization=org_a.org)
    assert row.domain == "alpha.test"
    verify = reverse("agency:sso_domain_verify", args=["alpha", row.pk])

    client.post(verify)
    row.refresh_from_db()
    assert not row.is_verified  # no record yet
    assert b"No TXT record" in client.get(DOMAINS).content

    dns_server["alpha.test"] = ["v=spf1 -all", row.txt_record]
    client.post(verify)
    row.refresh_from_db()
    assert row.is_verified and row.method == "dns" and row.verified_by == org_a.admin


def test_a_domain_is_verified_by_a_confirmed_mailbox(client, org_a):
    client.force_login(org_a.admin)
    client.post(DOMAINS, {"domain": "alpha.test"})
    with scopes_disabled():
        row = EmailDomain._base_manager.get(organization=org_a.org)
    client.post(
        reverse("agency:sso_domain_verify", args=["alpha", row.pk]), {"mailbox": "hostmaster"}
    )
    assert mail.outbox[-1].to == ["hostmaster@alpha.test"]
    link = re.search(r"http://\S+/accounts/domain-confirm/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].partition("/")[2]

    anyone = client.__class__()
    assert anyone.get("/" + path).status_code == 200  # opening the link confirms nothing
    row.refresh_from_db()
    assert not row.is_verified
    assert anyone.post("/" + path).status_code == 200
    row.refresh_from_db()
    assert row.is_verified and row.method == "mailbox"


def test_only_administrative_mailboxes(org_a):
    row = domains.claim(org_a.org, "alpha.test")
    with pytest.raises(domains.DomainError):
        domains.send_mailbox_link(row, "someone")


def test_a_verified_domain_belongs_to_one_agency(org_a, org_b):
    row_a = domains.claim(org_a.org, "shared.test")
    row_b = domains.claim(org_b.org, "shared.test")  # a claim alone takes nothing
    domains.confirm_mailbox(_token(row_a))
    with pytest.raises(domains.DomainError, match="another agency"):
        domains.confirm_mailbox(_token(row_b))
    domains.remove(row_b)
    with pytest.raises(domains.DomainError, match="verified for another agency"):
        domains.claim(org_b.org, "shared.test")
    assert domains.verified_owner("x@shared.test") == org_a.org


def _token(row):
    from django.core import signing

    return signing.dumps({"d": row.pk, "t": row.token}, salt=domains.CONFIRM_SALT)


def test_a_bad_confirmation_link_says_so(client):
    response = client.get(reverse("sso_domain_confirm", kwargs={"token": "nonsense"}))
    assert response.status_code == 400
    assert b"not valid or has expired" in response.content


def test_the_sso_chooser_finds_the_agency_by_address(client, idp, org_a):
    set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    response = client.post(reverse("sso_choose"), {"email": "anyone@alpha.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sso_start", kwargs={"agency": "alpha"})
    response = client.post(reverse("sso_choose"), {"email": "anyone@nowhere.test"})
    assert response.status_code == 400


def test_the_provider_cannot_be_turned_off_while_sso_is_required(idp, org_a):
    from strategyhub.identity.models import SignInPolicy

    set_up_oidc(idp, org_a.org)
    SignInPolicy._base_manager.create(organization=org_a.org, sso_required=True)
    with pytest.raises(configure.ConfigurationError, match="requires single sign-on"):
        configure.save_oidc(
            org_a.org, _settings(idp.issuer, client_id="strategyhub-alpha", enabled=False)
        )


def test_removing_the_provider_switches_sso_required_off(client, idp, org_a):
    from strategyhub.identity.models import SignInPolicy

    set_up_oidc(idp, org_a.org)
    SignInPolicy._base_manager.create(organization=org_a.org, sso_required=True)
    client.force_login(org_a.admin)
    session = client.session
    session[SIGNED_IN_VIA] = org_a.org.pk  # signed in through the provider, as required
    session.save()
    assert client.post(reverse("agency:sso_remove", args=["alpha"])).status_code == 302
    assert not SignInPolicy._base_manager.get(organization=org_a.org).sso_required
    with scopes_disabled():
        assert not IdentityProvider._base_manager.exists()


def test_the_pages_read_a_bounded_number_of_rows(client, idp, org_a, django_assert_max_num_queries):
    set_up_oidc(idp, org_a.org, mapping="Staff = viewer")
    for number in range(8):
        domains.claim(org_a.org, f"d{number}.alpha.test")
    client.force_login(org_a.admin)
    client.get(PROVIDER)  # the session's own reads settle first
    with django_assert_max_num_queries(12):
        assert client.get(DOMAINS).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(PROVIDER).status_code == 200
