"""The header bell's count (``ownership.queries.unread_count``) is the ORM's count of the
member's unread, unresolved alerts in the agency: read, resolved, another person's and
another agency's alerts are not counted; the page shows it."""

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from ownership.models import Alert
from ownership.queries import unread_count
from tests.factories.ownership import AlertFactory


def test_the_count_is_the_orms(org_a, org_b):
    now = timezone.now()
    with scope(organization=org_a.org):
        for _ in range(3):
            AlertFactory(organization=org_a.org, recipient=org_a.editor)
        AlertFactory(organization=org_a.org, recipient=org_a.editor, read_at=now)
        AlertFactory(organization=org_a.org, recipient=org_a.editor, resolved_at=now)
        AlertFactory(organization=org_a.org, recipient=org_a.viewer)
    with scope(organization=org_b.org):
        AlertFactory(organization=org_b.org, recipient=org_a.editor)
    with scope(organization=org_a.org):
        expected = Alert.objects.unread_for(org_a.editor).count()
    assert expected == 3
    assert unread_count(org_a.org.pk, org_a.editor.pk) == 3
    assert unread_count(org_b.org.pk, org_a.editor.pk) == 1
    assert unread_count(org_a.org.pk, org_a.admin.pk) == 0


def test_the_bell_shows_it(client, org_a):
    with scope(organization=org_a.org):
        AlertFactory(organization=org_a.org, recipient=org_a.editor)
        AlertFactory(organization=org_a.org, recipient=org_a.editor)
    client.force_login(org_a.editor)
    body = client.get(reverse("ownership:notifications", args=["alpha"])).content.decode()
    assert '<span class="sh-bell-count">2</span>' in body
