"""Language and locale (issue 23, docs/ui-language.md): US formats, the order of language
preferences (person, agency, browser), the agency's date style, public pages in the agency's
language, and a catalogue that really switches the words."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from publicdash.publishing import publish
from strategyhub import language
from strategyhub.identity.models import SecurityEvent, SecurityEventKind
from strategyhub.ui import dates
from tests.conftest import clear_worker_cache

DECEMBER_1 = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_worker_cache()


# --- US formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("full_date", "December 1, 2026"),
        ("brief_date", "Dec 1, 2026"),
        ("month_day", "December 1"),
        ("brief_month_day", "Dec 1"),
        ("month_year", "Dec 2026"),
        ("weekday_date", "Tuesday, December 1"),
    ],
)
def test_dates_are_written_the_us_way(kind, expected):
    with translation.override("en"):
        assert dates.show(DECEMBER_1, kind) == expected


def test_a_moment_is_in_the_active_time_zone_with_a_12_hour_clock():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("America/Chicago")):
        assert dates.moment(MOMENT) == "December 1, 2026, 1:30 PM CST"


@pytest.mark.parametrize(
    ("style", "english", "spanish"),
    [
        (dates.DateStyle.LONG, "December 1, 2026", "1 de diciembre de 2026"),
        (dates.DateStyle.NUMERIC, "12/1/2026", "1/12/2026"),
        (dates.DateStyle.ISO, "2026-12-01", "2026-12-01"),
    ],
)
def test_the_date_style_and_the_language_shape_a_date(style, english, spanish):
    with dates.override(style):
        with translation.override("en"):
            assert dates.full_date(DECEMBER_1) == english
        with translation.override("es"):
            assert dates.full_date(DECEMBER_1) == spanish


def test_the_filters_are_built_in_to_every_template():
    template = Template("{{ day|full_date }} · {{ day|brief_date }} · {% translate 'Save' %}")
    with translation.override("en"):
        assert (
            template.render(Context({"day": DECEMBER_1})) == "December 1, 2026 · Dec 1, 2026 · Save"
        )


def test_django_named_formats_are_us_english():
    with translation.override("en"):
        assert (
            Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": DECEMBER_1}))
            == "December 1, 2026"
        )


def test_the_profile_page_writes_a_date_the_us_way(client, org_a):
    with scopes_disabled():
        event = SecurityEvent.objects.create(
            user=org_a.viewer, kind=SecurityEventKind.choices[0][0]
        )
        SecurityEvent.objects.filter(pk=event.pk).update(at=MOMENT)
    client.force_login(org_a.viewer)
    page = client.get(reverse("profile")).content.decode()
    assert "December 1, 2026, 7:30 PM UTC" in page
    assert "1 December 2026" not in page


def test_the_agencys_date_style_reaches_its_pages(client, org_a):
    org_a.org.timezone = "America/Chicago"
    org_a.org.date_style = dates.DateStyle.ISO
    org_a.org.save()
    with scopes_disabled():
        event = SecurityEvent.objects.create(
            user=org_a.viewer, kind=SecurityEventKind.choices[0][0]
        )
        SecurityEvent.objects.filter(pk=event.pk).update(at=MOMENT)
    client.force_login(org_a.admin)
    page = client.get(reverse("agency:member_security", args=["alpha"])).content.decode()
    assert "2026-12-01 13:30 CST" in page


# --- Which language -------------------------------------------------------------------------


def test_the_order_of_preferences():
    assert language.choose("es", "en", fallback="en") == "es"
    assert language.choose("", "es", fallback="en") == "es"
    assert language.choose("", "", fallback="es-MX") == "es"
    assert language.choose(None, "fr", fallback="de") == "en"  # unknown: the default
    assert language.supported("ES-us") == "es"
    assert language.supported("pt") is None


def _language_of(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.headers["Content-Language"]


@pytest.mark.parametrize(
    ("person", "agency", "browser", "expected"),
    [
        ("es", "en", "en", "es"),  # the person's own choice wins
        ("en", "es", "es", "en"),
        ("", "es", "en", "es"),  # then the agency's
        ("", "en", "es", "en"),
        ("", "", "es", "es"),  # the agency lets each browser decide
        ("", "", "en-US,en;q=0.9", "en"),
    ],
)
def test_person_then_agency_then_browser(client, org_a, person, agency, browser, expected):
    org_a.org.language = agency
    org_a.org.save()
    org_a.viewer.language = person
    org_a.viewer.save()
    client.force_login(org_a.viewer)
    url = reverse("agency:dashboard", args=["alpha"])
    assert _language_of(client, url, accept_language=browser) == expected


def test_pages_outside_an_agency_speak_the_persons_language(client, org_a):
    org_a.viewer.language = "es"
    org_a.viewer.save()
    client.force_login(org_a.viewer)
    assert _language_of(client, reverse("profile"), accept_language="en") == "es"


def test_the_person_chooses_a_language_on_their_profile(client, org_a):
    client.force_login(org_a.viewer)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="language"' in page and "Español" in page
    response = client.post(reverse("profile"), {"full_name": "Vera Viewer", "language": "es"})
    assert response.status_code == 302
    org_a.viewer.refresh_from_db()
    assert org_a.viewer.language == "es"
    refused = client.post(reverse("profile"), {"full_name": "Vera Viewer", "language": "xx"})
    # Refused with a clear message, in the language just chosen (Django's own catalogue).
    assert refused.status_code == 200
    assert "xx no es una de las opciones disponibles" in refused.content.decode()
    org_a.viewer.refresh_from_db()
    assert org_a.viewer.language == "es"


def test_the_admin_sets_the_agencys_language_and_date_style(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:settings", args=["alpha"])
    page = client.get(url).content.decode()
    assert 'name="language"' in page and 'name="date_style"' in page
    data = {
        "name": "Agency Alpha",
        "timezone": "UTC",
        "fiscal_year_start_month": org_a.org.fiscal_year_start_month,
        "language": "es",
        "date_style": "numeric",
    }
    assert client.post(url, data).status_code == 302
    org_a.org.refresh_from_db()
    assert (org_a.org.language, org_a.org.date_style) == ("es", "numeric")
    # A post without the two fields (an older client) keeps them.
    del data["language"], data["date_style"]
    assert client.post(url, data).status_code == 302
    org_a.org.refresh_from_db()
    assert (org_a.org.language, org_a.org.date_style) == ("es", "numeric")


def test_a_contributor_cannot_change_the_agencys_language(client, org_a):
    client.force_login(org_a.contributor)
    url = reverse("agency:settings", args=["alpha"])
    response = client.post(url, {"name": "X", "timezone": "UTC", "language": "es"})
    assert response.status_code in (403, 404)
    org_a.org.refresh_from_db()
    assert org_a.org.language == "en"


def test_public_pages_speak_the_agencys_language_or_the_addresss(client, org_a, plan_a, measure_a):
    with scope(organization=org_a.org):
        publish(org_a.org, by=org_a.admin)
    url = reverse("public:home", args=["alpha"])
    assert _language_of(client, url, accept_language="es") == "en"  # not the browser's
    org_a.org.language = "es"
    org_a.org.save()
    assert _language_of(client, url) == "es"
    assert _language_of(client, url) == "es"  # again, from the fast path
    assert _language_of(client, url + "?lang=en") == "en"
    assert _language_of(client, url) == "es"  # the English copy did not replace it


# --- The catalogue --------------------------------------------------------------------------


def test_makemessages_runs_clean_and_the_committed_catalogue_is_current(tmp_path, monkeypatch):
    """Every marked string is in locale/es/LC_MESSAGES/django.po (run ``make messages``
    after adding or changing one), and extracting them warns about nothing. Extracted from a
    copy of the sources, so the committed catalogue is not rewritten."""
    from io import StringIO

    from django.conf import settings as django_settings

    root = Path(django_settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "*.pyc", "__pycache__", "locale", "*.sqlite3", *MESSAGES_IGNORED
        ),
    )
    (copy / "locale").mkdir()
    out, err = StringIO(), StringIO()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["es"], no_obsolete=True, stdout=out, stderr=err)
    assert err.getvalue() == "", err.getvalue()
    fresh = _msgids((copy / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text())
    committed = _msgids((root / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text())
    assert "Your profile" in fresh
    missing = sorted(fresh - committed)
    assert not missing, f"Run `make messages`: not in the catalogue yet: {missing[:10]}"


MESSAGES_IGNORED = [
    "node_modules",
    "data",
    "staticfiles",
    "tests",
    "bench",
    "scripts",
    "requirements",
]


def _msgids(po: str) -> set[str]:
    import re

    return {
        "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
        for block in re.findall(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n?)+)', po, re.M)
    } - {""}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs Debian's gettext")
def test_a_spanish_catalogue_changes_the_words(client, org_a, tmp_path):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Your profile"\nmsgstr "Tu perfil"\n\n'
        'msgid "Your profile was saved."\nmsgstr "Se guardó tu perfil."\n',
        encoding="utf-8",
    )
    msgfmt = shutil.which("msgfmt")
    assert msgfmt
    subprocess.run([msgfmt, "-o", folder / "django.mo", folder / "django.po"], check=True)
    client.force_login(org_a.viewer)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        assert "<h1>Your profile</h1>" in client.get(reverse("profile")).content.decode()
        org_a.viewer.language = "es"
        org_a.viewer.save()
        page = client.get(reverse("profile")).content.decode()
        assert "<h1>Tu perfil</h1>" in page
        saved = client.post(
            reverse("profile"), {"full_name": "Vera", "language": "es"}, follow=True
        )
        assert "Se guardó tu perfil." in saved.content.decode()
