"""The access matrix, derived from the URLconf: every named URL of the project is in one of
three tables (staff views under ``/o/<slug>/`` here, public pages in
``test_access_public.py``, account pages in ``test_access_account.py``), and
``test_every_url_is_listed`` fails when a URL has no entry or an entry no URL.

Each staff view is tried: anonymous → login; a member of another agency (this agency's
slug) → 404; another agency's object ids under that agency's own slug → 404; every role
below the lowest allowed → 403; the lowest allowed role → the OK status.

"Lowest role" is the lowest role with access to the fixture object. Where a contributor's
access depends on the object (they own it, or hold a unit grant on its unit), the entry
says so: the fixture's measure, OKR objective and key result are the contributor's own;
its strategic objective and measures are in a unit the contributor holds no grant on.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django_scopes import scope, scopes_disabled

from api.tokens import issue as issue_token
from dataio.models import ImportRun
from ownership.models import Alert
from scorecards.models import CausalLink, Perspective, Theme
from strategyhub.models import Membership
from strategyhub.roles import Role
from tests.factories import (
    AlertFactory,
    CheckInFactory,
    CycleFactory,
    InvitationFactory,
    KeyResultFactory,
    MeasureFactory,
    MeasureValueFactory,
    OkrObjectiveFactory,
    StrategicObjectiveFactory,
    StrategicPlanFactory,
    UnitFactory,
)

# The world's cycle (Q2 FY 2026) is the current quarter on the clock's default day.
pytestmark = pytest.mark.usefixtures("clock")

ROLE_ORDER = [Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN]


@dataclass(frozen=True)
class Obj:
    """A URL argument or form value filled with the id of one of the world's objects."""

    key: str


@dataclass
class StaffView:
    name: str  # namespace:name
    minimum: str  # the lowest role allowed on the fixture object
    method: str = "get"
    kwargs: dict = field(default_factory=dict)  # URL arguments besides org_slug
    data: dict | Callable[[dict], dict] | None = None  # post data (values may be Obj)
    ok: tuple[int, ...] = (200,)
    note: str = ""  # why the lowest role is what it is, where it depends on the object
    case: str = ""  # a further case of a URL listed already (not counted as its entry)

    @property
    def takes_ids(self) -> bool:
        return any(isinstance(v, Obj) for v in self.kwargs.values())


def _post(name, minimum, ok=(302,), **kw):
    return StaffView(name, minimum, "post", ok=ok, **kw)


PLAN = {"plan_id": Obj("plan")}
GRANT_NOTE = "a contributor only with a unit grant on the item's unit (none in the fixture)"
OWNER_NOTE = (
    "a contributor who owns the measure or holds a grant on its unit (the spare measure has "
    "neither; tests/scorecards/test_editing.py covers both)"
)

STAFF_VIEWS = [
    # --- agency: the agency's own pages, members and units ---------------------------------
    StaffView("agency:dashboard", Role.VIEWER),
    StaffView("agency:units", Role.VIEWER),
    StaffView("agency:members", Role.ADMIN),
    _post("agency:invite", Role.ADMIN, data={"email": "new@x.test", "role": "viewer"}),
    _post(
        "agency:member_role",
        Role.ADMIN,
        kwargs={"membership_id": Obj("membership")},
        data={"role": "editor"},
    ),
    _post(
        "agency:member_active",
        Role.ADMIN,
        kwargs={"membership_id": Obj("membership")},
        data={"active": "0"},
    ),
    _post("agency:invitation_revoke", Role.ADMIN, kwargs={"invitation_id": Obj("invitation")}),
    _post("agency:invitation_resend", Role.ADMIN, kwargs={"invitation_id": Obj("invitation")}),
    StaffView("agency:unit_new", Role.ADMIN),
    StaffView("agency:unit_edit", Role.ADMIN, kwargs={"unit_id": Obj("unit")}),
    _post("agency:unit_delete", Role.ADMIN, kwargs={"unit_id": Obj("empty_unit")}),
    _post("agency:unit_grant", Role.ADMIN, kwargs={"unit_id": Obj("unit")}),
    StaffView("agency:settings", Role.ADMIN),
    StaffView("agency:sign_in_policy", Role.ADMIN),
    StaffView("agency:member_security", Role.ADMIN),
    _post("agency:member_mfa_reset", Role.ADMIN, kwargs={"membership_id": Obj("membership")}),
    # Single sign-on (strategyhub/identity/sso/views.py); the world has a provider and a domain.
    StaffView("agency:sso_provider", Role.ADMIN),
    _post(
        "agency:sso_saml",
        Role.ADMIN,
        data={"default_role": "viewer"},
        ok=(400,),
        note="no metadata given: the page again, with the message",
    ),
    _post("agency:sso_key", Role.ADMIN),
    _post("agency:sso_mapping", Role.ADMIN, data={"role_mapping": "Planners = editor"}),
    _post("agency:sso_remove", Role.ADMIN),
    StaffView("agency:sso_domains", Role.ADMIN),
    _post(
        "agency:sso_domain_verify",
        Role.ADMIN,
        kwargs={"domain_id": Obj("email_domain")},
        data={"mailbox": "hostmaster"},
    ),
    _post("agency:sso_domain_remove", Role.ADMIN, kwargs={"domain_id": Obj("email_domain")}),
    _post(
        "agency:sign_in_policy",
        Role.ADMIN,
        data={
            "mfa_required": "off",
            "session_lifetime_minutes": "480",
            "idle_timeout_minutes": "30",
        },
        case="save",
    ),
    # --- scorecards: the strategic plan -------------------------------------------------
    StaffView("scorecards:plan", Role.VIEWER),
    StaffView("scorecards:plan_new", Role.EDITOR),
    StaffView("scorecards:plan_detail", Role.VIEWER, kwargs=PLAN),
    StaffView("scorecards:plan_edit", Role.EDITOR, kwargs=PLAN),
    StaffView(
        "scorecards:strategy_map", Role.VIEWER, kwargs=PLAN, note="POST (add a link): editor"
    ),
    StaffView("scorecards:focus_map", Role.VIEWER, kwargs=PLAN, note="POST: editor"),
    StaffView("scorecards:perspective_new", Role.EDITOR, kwargs=PLAN),
    StaffView(
        "scorecards:perspective_edit",
        Role.EDITOR,
        kwargs={**PLAN, "perspective_id": Obj("perspective")},
    ),
    _post(
        "scorecards:perspective_delete",
        Role.EDITOR,
        kwargs={**PLAN, "perspective_id": Obj("empty_perspective")},
    ),
    StaffView("scorecards:theme_new", Role.EDITOR, kwargs=PLAN),
    StaffView("scorecards:theme_edit", Role.EDITOR, kwargs={**PLAN, "theme_id": Obj("theme")}),
    _post("scorecards:theme_delete", Role.EDITOR, kwargs={**PLAN, "theme_id": Obj("theme")}),
    StaffView("scorecards:objective_new", Role.EDITOR, kwargs=PLAN),
    StaffView(
        "scorecards:objective_edit",
        Role.EDITOR,
        kwargs={**PLAN, "objective_id": Obj("objective")},
        note=GRANT_NOTE,
    ),
    StaffView("scorecards:measure_new", Role.EDITOR, kwargs=PLAN),
    StaffView(
        "scorecards:measure_edit",
        Role.EDITOR,
        kwargs={**PLAN, "measure_id": Obj("spare_measure")},
        note=OWNER_NOTE,
    ),
    StaffView("scorecards:perspective", Role.VIEWER, kwargs={"perspective_id": Obj("perspective")}),
    StaffView("scorecards:objective", Role.VIEWER, kwargs={"objective_id": Obj("objective")}),
    _post("scorecards:objective_archive", Role.EDITOR, kwargs={"objective_id": Obj("objective")}),
    _post(
        "scorecards:objective_delete",
        Role.EDITOR,
        kwargs={"objective_id": Obj("empty_objective")},
    ),
    StaffView("scorecards:measure", Role.VIEWER, kwargs={"measure_id": Obj("measure")}),
    _post(
        "scorecards:measure_value",
        Role.CONTRIBUTOR,
        kwargs={"measure_id": Obj("measure")},
        data={"period": "2026-10-01", "value": "120"},
        ok=(200,),
        note="a contributor who owns the measure (the fixture's) or holds a grant on its unit",
    ),
    StaffView(
        "scorecards:measure_targets",
        Role.EDITOR,
        kwargs={"measure_id": Obj("spare_measure")},
        note=OWNER_NOTE,
    ),
    _post("scorecards:measure_archive", Role.EDITOR, kwargs={"measure_id": Obj("measure")}),
    _post("scorecards:measure_delete", Role.EDITOR, kwargs={"measure_id": Obj("spare_measure")}),
    _post("scorecards:link_delete", Role.EDITOR, kwargs={"link_id": Obj("link")}),
    # --- okrs: cycles, OKR objectives, key results, check-ins, review -------------------------
    StaffView("okrs:cycle", Role.VIEWER),
    StaffView("okrs:cycle_detail", Role.VIEWER, kwargs={"cycle_id": Obj("cycle")}),
    StaffView(
        "okrs:cycle_detail", Role.VIEWER, kwargs={"cycle_id": Obj("annual_cycle")}, case="annual"
    ),
    _post("okrs:cycle_start_year", Role.EDITOR, kwargs={"cycle_id": Obj("annual_cycle")}),
    StaffView(
        "okrs:cycle_clone_unit",
        Role.EDITOR,
        kwargs={"cycle_id": Obj("cycle")},
        note="as okrs:objective_new (cloning creates objectives)",
    ),
    StaffView("okrs:my_checkins", Role.VIEWER),
    _post(
        "okrs:checkin",
        Role.CONTRIBUTOR,
        kwargs={"key_result_id": Obj("key_result")},
        data=lambda ids: {
            f"kr{ids['key_result']}-as_of": "2026-11-21",
            f"kr{ids['key_result']}-value": "50",
        },
        note="a contributor who owns the key result (the fixture's) or holds a unit grant",
    ),
    StaffView("okrs:key_result", Role.VIEWER, kwargs={"key_result_id": Obj("key_result")}),
    _post(
        "okrs:checkin_edit",
        Role.CONTRIBUTOR,
        kwargs={"key_result_id": Obj("key_result"), "checkin_id": Obj("checkin")},
        data=lambda ids: {
            f"edit{ids['checkin']}-as_of": "2026-11-16",
            f"edit{ids['checkin']}-value": "45",
        },
        note="as okrs:checkin",
    ),
    StaffView("okrs:objective", Role.VIEWER, kwargs={"objective_id": Obj("okr")}),
    StaffView("okrs:objective_new", Role.EDITOR),
    StaffView(
        "okrs:objective_edit",
        Role.CONTRIBUTOR,
        kwargs={"objective_id": Obj("okr")},
        note="a contributor who owns the objective (the fixture's) or holds a unit grant",
    ),
    StaffView(
        "okrs:key_result_new",
        Role.CONTRIBUTOR,
        kwargs={"objective_id": Obj("okr")},
        note="as okrs:objective_edit",
    ),
    StaffView(
        "okrs:key_result_edit",
        Role.CONTRIBUTOR,
        kwargs={"objective_id": Obj("okr"), "key_result_id": Obj("key_result")},
        note="as okrs:objective_edit",
    ),
    _post(
        "okrs:archive",
        Role.CONTRIBUTOR,
        kwargs={"kind": "key-result", "item_id": Obj("key_result")},
        note="as okrs:objective_edit (kind objective or key-result)",
    ),
    StaffView(
        "okrs:delete",
        Role.CONTRIBUTOR,
        kwargs={"kind": "key-result", "item_id": Obj("key_result")},
        note="as okrs:archive; GET asks to confirm (POST with check-ins: refused, 302)",
    ),
    StaffView(
        "okrs:objective_clone",
        Role.EDITOR,
        kwargs={"objective_id": Obj("okr")},
        note="as okrs:objective_new (cloning creates an objective)",
    ),
    StaffView(
        "okrs:review",
        Role.CONTRIBUTOR,
        kwargs={"objective_id": Obj("okr")},
        note="as okrs:objective_edit",
    ),
    StaffView("okrs:coverage", Role.VIEWER, kwargs={"cycle_id": Obj("cycle")}),
    _post("okrs:cycle_review", Role.ADMIN, kwargs={"cycle_id": Obj("cycle")}),
    StaffView(
        "okrs:cycle_review", Role.ADMIN, kwargs={"cycle_id": Obj("cycle")}, case="confirm page"
    ),
    _post("okrs:cycle_close", Role.ADMIN, kwargs={"cycle_id": Obj("cycle")}),
    StaffView(
        "okrs:cycle_close", Role.ADMIN, kwargs={"cycle_id": Obj("cycle")}, case="confirm page"
    ),
    _post("okrs:cycle_reopen", Role.ADMIN, kwargs={"cycle_id": Obj("cycle")}),
    # --- ownership --------------------------------------------------------------------------
    StaffView("ownership:page", Role.VIEWER),
    StaffView(
        "ownership:reassign",
        Role.EDITOR,
        kwargs={"item_type": "measure", "item_id": Obj("measure")},
        note="plan items need edit_plan, OKR items edit_all_okrs: editor either way",
    ),
    _post(
        "ownership:transfer",
        Role.ADMIN,
        data={"from_user": Obj("contributor_user"), "to_user": Obj("editor_user")},
    ),
    StaffView("ownership:notifications", Role.VIEWER),
    _post("ownership:mark_all_read", Role.VIEWER),
    _post(
        "ownership:mark_read",
        Role.VIEWER,
        kwargs={"alert_id": Obj("alert")},
        note="one's own alert (the fixture's goes to the viewer)",
    ),
    StaffView("ownership:preferences", Role.VIEWER),
    StaffView("ownership:settings", Role.ADMIN),
    StaffView("ownership:workflow", Role.VIEWER, note="POST (send reminders): editor"),
    # --- publishing -------------------------------------------------------------------------
    StaffView("publishing:page", Role.ADMIN),
    StaffView("publishing:preview", Role.ADMIN),
    _post("publishing:publish", Role.ADMIN),
    _post("publishing:unpublish", Role.ADMIN),
    # --- data in and out: the whole export holds every member's email, so admins only ------
    StaffView("dataio:page", Role.ADMIN),
    StaffView("dataio:export", Role.ADMIN, kwargs={"fmt": "xlsx"}),
    StaffView("dataio:export", Role.ADMIN, kwargs={"fmt": "zip"}, case="zip"),
    StaffView("dataio:template", Role.ADMIN),
    _post("dataio:import_upload", Role.ADMIN, ok=(400,), note="no file posted: the form's 400"),
    StaffView("dataio:import_run", Role.ADMIN, kwargs={"run_id": Obj("import_run")}),
    _post("dataio:import_confirm", Role.ADMIN, kwargs={"run_id": Obj("import_run")}),
    # --- reports (the fixture's report has an approved edition 1) ----------------------------
    StaffView("reports:list", Role.VIEWER),
    StaffView("reports:new", Role.EDITOR),
    StaffView("reports:schedules", Role.ADMIN),
    _post(
        "reports:schedule_stop",
        Role.ADMIN,
        kwargs={"schedule_id": Obj("report_schedule")},
    ),
    StaffView("reports:report", Role.VIEWER, ok=(302,), kwargs={"report_id": Obj("report")}),
    StaffView(
        "reports:edition",
        Role.VIEWER,
        kwargs={"report_id": Obj("report"), "number": 1},
        note="drafts: editors, and the owners asked for commentary (tests/reports)",
    ),
    StaffView(
        "reports:download",
        Role.VIEWER,
        kwargs={"report_id": Obj("report"), "number": 1, "fmt": "html"},
    ),
    StaffView(
        "reports:download",
        Role.VIEWER,
        kwargs={"report_id": Obj("report"), "number": 1, "fmt": "csv"},
        case="csv",
    ),
    _post(
        "reports:edition_action",
        Role.EDITOR,
        kwargs={"report_id": Obj("report"), "number": 1, "action": "rebuild"},
        note="refused with a message on an approved edition; approve and publish: admins",
    ),
    _post(
        "reports:correction",
        Role.EDITOR,
        kwargs={"report_id": Obj("report")},
        data={"note": "A value was corrected."},
    ),
    _post(
        "reports:commentary_ask",
        Role.EDITOR,
        kwargs={"report_id": Obj("report"), "number": 1},
        data={"due": "2026-12-15"},
    ),
    _post(
        "reports:commentary_write",
        Role.VIEWER,
        kwargs={"report_id": Obj("report"), "number": 1},
        data={"item_kind": "measure", "item_id": Obj("measure"), "analysis": "Why."},
        note="refused with a message unless one owns the item of an open edition",
    ),
    # --- api: a member's own API tokens (the API itself: tests/api/test_api_access.py) ---
    StaffView("api_tokens:list", Role.VIEWER),
    _post(
        "api_tokens:list",
        Role.VIEWER,
        ok=(200,),
        data={"name": "Feed", "scope": "read", "expires_in_days": "30"},
        case="create",
    ),
    _post(
        "api_tokens:revoke",
        Role.VIEWER,
        kwargs={"token_id": Obj("api_token")},
        note="one's own token (the fixture's is the viewer's)",
    ),
    StaffView("api_tokens:service_accounts", Role.ADMIN),
    _post(
        "api_tokens:service_accounts",
        Role.ADMIN,
        data={"name": "Finance feed", "role": "contributor"},
        case="create",
    ),
    _post(
        "api_tokens:service_token",
        Role.ADMIN,
        ok=(200,),
        kwargs={"membership_id": Obj("service_account")},
        data=lambda ids: {
            f"account-{ids['service_account']}-name": "Nightly",
            f"account-{ids['service_account']}-scope": "write",
        },
    ),
    _post(
        "api_tokens:service_revoke",
        Role.ADMIN,
        kwargs={"membership_id": Obj("service_account"), "token_id": Obj("service_token")},
    ),
]

# Not in the matrix: Django's admin (platform staff superusers only, Django's own checks;
# tests/test_admin_and_tasks.py) and the bench endpoints (mounted only with
# STRATEGYHUB_BENCH, tests/test_bench_views.py), and the JSON API (token auth, not
# sessions: its own matrix in tests/api/test_api_access.py).
EXCLUDED_NAMESPACES = {"admin", "api-v1"}
EXCLUDED_NAMES = {"bench_hello", "bench_signed_in_post"}


def url_names(resolver=None, prefix=""):
    """Every named URL of the project, namespaced (``okrs:checkin``), walking includes."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern, inner)
        elif pattern.name and pattern.name not in EXCLUDED_NAMES:
            yield prefix + pattern.name


def test_every_url_is_listed():
    from tests.test_access_account import ACCOUNT_VIEWS
    from tests.test_access_public import PUBLIC_VIEWS

    tables = [
        v.name for v in STAFF_VIEWS + PUBLIC_VIEWS + ACCOUNT_VIEWS if not getattr(v, "case", "")
    ]
    assert len(tables) == len(set(tables)), "a URL is listed twice"
    assert set(url_names()) == set(tables)


def test_staff_urls_are_under_the_agency():
    any_ids = defaultdict(lambda: 1)
    for view in STAFF_VIEWS:
        assert _url_of(view, "x", any_ids).startswith("/o/x/"), view.name


# --- the world: one agency's objects ---------------------------------------------------------


def build_world(personas) -> dict[str, int]:
    """The objects the staff URLs take, in one agency, with their ids."""
    organization = personas.org
    with scopes_disabled():
        plan = StrategicPlanFactory(organization=organization)
        objective = StrategicObjectiveFactory(plan=plan, owner=personas.editor, unit=personas.team)
        empty_objective = StrategicObjectiveFactory(plan=plan)
        measure = MeasureFactory(
            objective=objective, owner=personas.contributor, org_unit=personas.team
        )
        MeasureValueFactory(measure=measure)
        spare_measure = MeasureFactory(objective=empty_objective)
        empty_perspective = Perspective.objects.create(
            organization=organization, plan=plan, name="Spare perspective", order=9
        )
        theme = Theme.objects.create(organization=organization, plan=plan, name="Safety")
        link = CausalLink.objects.create(
            organization=organization, source=empty_objective, target=objective
        )
        cycle = CycleFactory(organization=organization)
        okr = OkrObjectiveFactory(cycle=cycle, owner=personas.contributor, unit=personas.team)
        key_result = KeyResultFactory(objective=okr, owner=personas.contributor)
        checkin = CheckInFactory(key_result=key_result, author=personas.contributor)
        alert = AlertFactory(organization=organization, recipient=personas.viewer)
        report, schedule = _approved_report(personas)
        return {
            "report": report.pk,
            "report_schedule": schedule.pk,
            "plan": plan.pk,
            "perspective": objective.perspective_id,
            "empty_perspective": empty_perspective.pk,
            "theme": theme.pk,
            "objective": objective.pk,
            "empty_objective": empty_objective.pk,
            "measure": measure.pk,
            "spare_measure": spare_measure.pk,
            "link": link.pk,
            "cycle": cycle.pk,
            "annual_cycle": CycleFactory(organization=organization, kind="annual", quarter=None).pk,
            "okr": okr.pk,
            "key_result": key_result.pk,
            "checkin": checkin.pk,
            "alert": alert.pk,
            "membership": Membership.objects.get(user=personas.viewer).pk,
            "api_token": issue_token(
                Membership.objects.get(user=personas.viewer), name="Feed"
            ).token.pk,
            **_service_account(organization),
            "invitation": InvitationFactory(organization=organization).pk,
            "unit": personas.team.pk,
            "empty_unit": UnitFactory(organization=organization, name="Empty").pk,
            "contributor_user": personas.contributor.pk,
            "editor_user": personas.editor.pk,
            "import_run": ImportRun.objects.create(
                organization=organization, filename="plan.xlsx", state="previewed"
            ).pk,
            **_single_sign_on(organization),
        }


def _single_sign_on(organization) -> dict[str, int]:
    """The agency's identity provider (its settings only) and a claimed email domain."""
    from strategyhub.identity.sso.domains import claim
    from strategyhub.identity.sso.models import IdentityProvider

    IdentityProvider._base_manager.create(
        organization=organization,
        issuer="https://login.example.gov",
        client_id="strategyhub",
        app_id=f"oidc-{organization.pk}-world",
    )
    return {"email_domain": claim(organization, f"{organization.slug}.example.gov").pk}


def _service_account(organization) -> dict[str, int]:
    from api import service_accounts

    membership = service_accounts.create(organization, name="CAD dispatch feed", role="editor")
    return {
        "service_account": membership.pk,
        "service_token": issue_token(membership, name="CAD nightly").token.pk,
    }


def _approved_report(personas):
    """A council report of the world's current quarter with its first edition approved, and
    a report schedule."""
    from reports import delivery, editions

    with scope(organization=personas.org):
        report = editions.create_report(
            personas.org,
            personas.editor,
            template="council_quarterly",
            fiscal_year=2026,
            quarter=2,
        )
        edition = report.editions.get()
        editions.submit(edition, personas.editor)
        editions.approve(edition, personas.admin)
        schedule = delivery.create_schedule(
            personas.org,
            personas.admin,
            template="annual",
            cadence="annual",
            recipients="clerk@council.example",
        )
    return report, schedule


def _fill(value, ids):
    return ids[value.key] if isinstance(value, Obj) else value


def _kwargs(view: StaffView, slug: str, ids: dict) -> dict:
    return {"org_slug": slug, **{k: _fill(v, ids) for k, v in view.kwargs.items()}}


def _url_of(view: StaffView, slug: str, ids: dict) -> str:
    return reverse(view.name, kwargs=_kwargs(view, slug, ids))


def _data(view: StaffView, ids: dict) -> dict:
    data = view.data(ids) if callable(view.data) else (view.data or {})
    return {k: _fill(v, ids) for k, v in data.items()}


def _request(client, view: StaffView, slug: str, ids: dict):
    return getattr(client, view.method)(_url_of(view, slug, ids), _data(view, ids))


@pytest.fixture
def world_a(org_a):
    return build_world(org_a)


@pytest.fixture
def world_b(org_b):
    return build_world(org_b)


def _id(view):
    return f"{view.name}[{view.case}]" if view.case else view.name


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=_id)
def test_anonymous_is_sent_to_login(client, org_a, world_a, view):
    response = _request(client, view, org_a.org.slug, world_a)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=_id)
def test_member_of_another_agency_gets_404(client, org_a, org_b, world_a, view):
    client.force_login(org_b.admin)
    response = _request(client, view, org_a.org.slug, world_a)
    assert response.status_code == 404
    assert b"Agency Alpha" not in response.content


@pytest.mark.parametrize("view", [v for v in STAFF_VIEWS if v.takes_ids], ids=_id)
def test_other_agencys_object_ids_give_404(client, org_a, org_b, world_a, world_b, view):
    """An admin of B using B's own slug with A's object ids finds nothing."""
    client.force_login(org_b.admin)
    response = _request(client, view, org_b.org.slug, world_a)
    assert response.status_code == 404


@pytest.mark.parametrize("view", [v for v in STAFF_VIEWS if v.minimum != Role.VIEWER], ids=_id)
def test_too_low_role_is_forbidden(client, org_a, world_a, view):
    for role in ROLE_ORDER[: ROLE_ORDER.index(view.minimum)]:
        client.force_login(org_a.user(role))
        response = _request(client, view, org_a.org.slug, world_a)
        assert response.status_code == 403, role


@pytest.mark.parametrize("view", STAFF_VIEWS, ids=_id)
def test_happy_path(client, org_a, world_a, view):
    client.force_login(org_a.user(view.minimum))
    response = _request(client, view, org_a.org.slug, world_a)
    assert response.status_code in view.ok


def test_deactivated_member_gets_404(client, org_a):
    with scope(organization=org_a.org):
        Membership.objects.filter(user=org_a.editor).update(is_active=False)
    client.force_login(org_a.editor)
    assert client.get(reverse("agency:dashboard", args=["alpha"])).status_code == 404


def test_unknown_agency_and_foreign_agency_look_the_same(client, org_a, org_b):
    client.force_login(org_b.viewer)
    foreign = client.get(reverse("agency:dashboard", args=["alpha"]))
    unknown = client.get(reverse("agency:dashboard", args=["no-such-agency"]))
    assert foreign.status_code == unknown.status_code == 404

    def without_csrf(content: bytes) -> bytes:
        content = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)

    assert without_csrf(foreign.content) == without_csrf(unknown.content)


def test_anonymous_on_unknown_agency_is_sent_to_login(client, db):
    response = client.get(reverse("agency:dashboard", args=["no-such-agency"]))
    assert response.status_code == 302


def test_marking_another_members_alert_read_gives_404(client, org_a, world_a):
    client.force_login(org_a.editor)  # the fixture's alert is the viewer's
    url = reverse("ownership:mark_read", args=["alpha", world_a["alert"]])
    assert client.post(url).status_code == 404
    with scopes_disabled():
        assert Alert.objects.get(pk=world_a["alert"]).read_at is None
