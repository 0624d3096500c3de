"""An email to one person speaks their language (docs/ui-language.md): their own choice,
else their agency's. A tiny Spanish catalogue, compiled here, shows that the subjects built
in Python (alerts, digests, invitations) and the bodies rendered from templates go through
gettext in the recipient's language, not in the agency's or the one active when sent."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django_scopes import scope, scopes_disabled

from ownership import alerts as alert_service
from ownership import digests
from ownership.models import Alert, NotificationPreference
from ownership.tasks import send_digests, send_unowned_digest
from scorecards.models import Measure
from strategyhub import invitation_mail, language
from strategyhub.models import User
from tests.factories import InvitationFactory
from tests.okrs.conftest import (  # noqa: F401 (shared fixtures)
    kr_patrols,
    kr_response,
    okr,
    quarter,
    response_measure,
)

pytestmark = [
    pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs Debian's gettext"),
    pytest.mark.usefixtures("clock"),
]

TODAY = dt.date(2026, 11, 22)  # the test clock's day (tests/conftest.py)

CATALOGUE = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "[%(agency)s] %(kind)s: %(item)s"
msgstr "[%(agency)s] %(kind)s — %(item)s"

msgid "Check-in overdue"
msgstr "Check-in atrasado"

msgid "[%(agency)s] Your daily digest: %(count)d alert"
msgid_plural "[%(agency)s] Your daily digest: %(count)d alerts"
msgstr[0] "[%(agency)s] Tu resumen diario: %(count)d alerta"
msgstr[1] "[%(agency)s] Tu resumen diario: %(count)d alertas"

msgid "Your daily digest from %(name)s:"
msgstr "Tu resumen diario de %(name)s:"

msgid "[%(agency)s] %(count)d item without an active owner"
msgid_plural "[%(agency)s] %(count)d items without an active owner"
msgstr[0] "[%(agency)s] %(count)d elemento sin responsable activo"
msgstr[1] "[%(agency)s] %(count)d elementos sin responsable activo"

msgid "Weekly ownership digest"
msgstr "Resumen semanal de responsables"

msgid "You are invited to %(agency)s on StrategyHub"
msgstr "Te invitamos a %(agency)s en StrategyHub"
"""


@pytest.fixture
def spanish(tmp_path):
    """The tiny Spanish catalogue above, compiled and in use for the test."""
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(CATALOGUE, encoding="utf-8")
    msgfmt = shutil.which("msgfmt")
    assert msgfmt
    subprocess.run([msgfmt, "-o", folder / "django.mo", folder / "django.po"], check=True)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        yield


def test_the_recipients_own_language_wins_then_the_agencys(org_a):
    org_a.viewer.language = "es"
    assert language.for_recipient(org_a.viewer, org_a.org) == "es"
    org_a.viewer.language = ""
    org_a.org.language = "es"
    assert language.for_recipient(org_a.viewer, org_a.org) == "es"
    org_a.org.language = ""
    with translation.override("en"):  # the agency leaves it to each person: the active one
        assert language.for_recipient(org_a.viewer, org_a.org) == "en"
    assert language.for_recipient(None, org_a.org) in ("en", "es")


def test_the_digest_subjects_go_through_gettext(spanish):
    with translation.override("en"):
        assert digests.digest_subject("Alpha", "daily", 2) == "[Alpha] Your daily digest: 2 alerts"
        assert digests.unowned_subject("Alpha", 1) == "[Alpha] 1 item without an active owner"
    with translation.override("es"):
        assert digests.digest_subject("Alpha", "daily", 1) == "[Alpha] Tu resumen diario: 1 alerta"
        assert digests.digest_subject("Alpha", "daily", 3) == (
            "[Alpha] Tu resumen diario: 3 alertas"
        )
        assert digests.unowned_subject("Alpha", 2) == ("[Alpha] 2 elementos sin responsable activo")


@pytest.mark.usefixtures("okr", "kr_response")
def test_an_alert_email_speaks_its_recipients_language(
    spanish, org_a, django_capture_on_commit_callbacks
):
    org_a.contributor.language = "es"
    org_a.contributor.save()
    with scope(organization=org_a.org), django_capture_on_commit_callbacks(execute=True):
        alert_service.scan(org_a.org, TODAY)
    theirs = [m for m in mail.outbox if m.to == [org_a.contributor.email]]
    assert theirs, "the contributor's overdue check-in is emailed at once"
    assert any(m.subject.startswith("[Agency Alpha] Check-in atrasado — ") for m in theirs)
    assert not any("Check-in overdue" in m.subject for m in theirs)
    # The agency speaks English: an admin without a language of their own reads English.
    to_admin = [m for m in mail.outbox if m.to == [org_a.admin.email]]
    assert all(" — " not in m.subject for m in to_admin)


@pytest.mark.usefixtures("okr", "kr_response")
def test_a_digest_speaks_its_recipients_language(spanish, org_a):
    org_a.contributor.language = "es"
    org_a.contributor.save()
    with scope(organization=org_a.org):
        NotificationPreference.objects.create(
            organization=org_a.org,
            user=org_a.contributor,
            kind="checkin_overdue",
            delivery="daily",
        )
        alert_service.raise_alerts(org_a.org, alert_service.drafts_for(org_a.org, TODAY))
    kwargs = {"organization_id": org_a.org.pk, "frequency": "daily"}
    assert send_digests.apply(kwargs=kwargs).get() == 1
    (digest,) = [m for m in mail.outbox if m.to == [org_a.contributor.email]]
    assert digest.subject.startswith("[Agency Alpha] Tu resumen diario: ")
    assert "Tu resumen diario de Agency Alpha:" in digest.body
    assert "Check-in atrasado:" in digest.body  # the kind of each alert, in their language


def test_the_unowned_digest_speaks_the_agencys_language_to_an_admin_without_one(
    spanish, org_a, measure_a
):
    org_a.org.language = "es"
    org_a.org.save()
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=None)
    assert send_unowned_digest.apply(kwargs={"organization_id": org_a.org.pk}).get() == 1
    (message,) = [m for m in mail.outbox if m.to == [org_a.admin.email]]
    assert message.subject == "[Agency Alpha] 1 elemento sin responsable activo"
    with scopes_disabled():
        marker = Alert.objects.get(recipient=org_a.admin, item_type="digest")
    assert marker.item_label == "Resumen semanal de responsables"


def test_an_invitation_to_someone_with_an_account_speaks_their_language(spanish, org_a):
    User.objects.create_user("ana@example.org", "a-long-password", language="es")
    with scope(organization=org_a.org):
        theirs = InvitationFactory(organization=org_a.org, email="Ana@example.org")
        stranger = InvitationFactory(organization=org_a.org, email="new@example.org")
        assert invitation_mail.send(theirs.pk) and invitation_mail.send(stranger.pk)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["ana@example.org"] == "Te invitamos a Agency Alpha en StrategyHub"
    assert subjects["new@example.org"] == "You are invited to Agency Alpha on StrategyHub"
