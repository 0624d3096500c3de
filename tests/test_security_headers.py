"""Content-Security-Policy, framing and Permissions-Policy on staff pages, and the rule
that makes ``script-src 'self'`` / ``style-src 'self'`` hold: nothing inline in any template."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from strategyhub import validators
from strategyhub.security_headers import PERMISSIONS_POLICY

ROOT = Path(settings.BASE_DIR)
# Self-contained documents saved and opened as files (their styles inside, no page chrome),
# not pages of the site: a view that shows one in the browser must relax its own response.
DOCUMENTS = {"reports/templates/reports/document.html"}
TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if not {".venv", "node_modules", "staticfiles"} & set(p.parts)
    and "emails" not in p.parts  # email bodies: mail clients, not browsers under our CSP
    and str(p.relative_to(ROOT)) not in DOCUMENTS
)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_the_templates_are_found():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_style_or_handler_in_templates(path):
    text = path.read_text()
    for script in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        assert "src=" in script, f"inline <script> in {path}"
    assert not re.search(r"<style\b", text, flags=re.I), f"<style> element in {path}"
    assert not re.search(r"\sstyle\s*=", text, flags=re.I), f"style attribute in {path}"
    assert not re.search(r"\son[a-z]+\s*=", text, flags=re.I), f"event handler in {path}"
    assert "javascript:" not in text.lower(), f"javascript: URL in {path}"
    assert not re.search(r"hx-on|hx-vars|js:", text), f"evaluated htmx attribute in {path}"
    assert "csp_nonce" not in text.lower(), f"a nonce in {path}: cached pages would replay it"


def test_staff_pages_carry_the_policy(client, org_a, measure_a):
    client.force_login(org_a.editor)
    response = client.get(reverse("scorecards:plan", args=["alpha"]))
    directives = _directives(response)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "publickey-credentials-get=(self)" in PERMISSIONS_POLICY
    # htmx's own inline indicator style is off (it would need 'unsafe-inline').
    assert b'"includeIndicatorStyles":false' in response.content


def test_a_cached_staff_page_has_the_headers_of_the_first(client, org_a, measure_a):
    client.force_login(org_a.editor)
    url = reverse("scorecards:plan", args=["alpha"])
    first, again = client.get(url), client.get(url)
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert first[name] == again[name]


def test_anonymous_pages_carry_it_too(client):
    response = client.get(reverse("account_login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Permissions-Policy" in response


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.example.gov", ["https://www.example.gov"]),
        ("https://WWW.Example.gov/\n\nhttps://www.example.gov:443", ["https://www.example.gov"]),
        (
            "https://maps.example.gov:8443, https://a.example",
            ["https://maps.example.gov:8443", "https://a.example"],
        ),
    ],
)
def test_embed_origins_are_normalised(text, expected):
    assert validators.parse_origins(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "http://www.example.gov",
        "https://www.example.gov/page",
        "https://*.example.gov",
        "www.example.gov",
        "https://www.example.gov; script-src *",
        "https://user:pw@example.gov",
        "javascript:alert(1)",
        "'self'",
    ],
)
def test_embed_origins_refuse_anything_but_an_https_origin(text):
    with pytest.raises(validators.ValidationError):
        validators.parse_origins(text)


def test_the_settings_page_refuses_a_bad_origin(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        reverse("agency:settings", args=["alpha"]),
        {
            "name": "Agency Alpha",
            "timezone": "America/Chicago",
            "fiscal_year_start_month": 7,
            "embed_origins": "http://insecure.example",
        },
    )
    assert response.status_code == 400
    assert b"only https://" in response.content
