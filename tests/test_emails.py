"""The core email helper (strategyhub.emails): one templated sender, the site address."""

from django.core import mail
from django.test import override_settings

from strategyhub.emails import send_templated, site_url


@override_settings(SITE_URL="https://hub.example.gov/")
def test_site_url_joins_without_a_double_slash():
    assert site_url("/o/alpha/") == "https://hub.example.gov/o/alpha/"
    assert site_url("") == "https://hub.example.gov"


def test_send_templated_sends_text_with_its_html_twin_and_headers(org_a):
    context = {"gaps": [], "organization": org_a.org, "base": "https://x", "page": "https://x/p"}
    send_templated(
        "a@b.test",
        "Subject",
        "unowned_digest",
        context,
        headers={"List-Unsubscribe": "<https://x/u>"},
    )
    (message,) = mail.outbox
    assert message.to == ["a@b.test"] and message.subject == "Subject"
    assert message.alternatives[0][1] == "text/html" and "<" in message.alternatives[0][0]
    assert message.extra_headers == {"List-Unsubscribe": "<https://x/u>"}
    send_templated("a@b.test", "Again", "unowned_digest", context)
    assert mail.outbox[1].extra_headers == {}
