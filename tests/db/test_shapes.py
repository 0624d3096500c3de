"""The SQL of each query shape, compiled once per process (strategyhub/db/shapes.py): the
same rows as Django's own compilation, every shape its own entry, a wrong entry caught."""

import dataclasses

import pytest
from django.db import connection
from django.db.models import Count, F
from django_scopes import scopes_disabled

from strategyhub.db import shapes
from strategyhub.models import Membership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh():
    shapes.clear()
    before = dict(shapes.stats)
    yield lambda key: shapes.stats[key] - before[key]
    shapes.clear()


def test_the_project_backends_compile_through_the_cache():
    assert connection.settings_dict["ENGINE"].startswith("strategyhub.db.")
    assert issubclass(connection.ops.compiler("SQLCompiler"), shapes.ShapeCacheMixin)
    # Writes keep Django's own compilers.
    assert not issubclass(connection.ops.compiler("SQLUpdateCompiler"), shapes.ShapeCacheMixin)


def test_the_same_shape_with_other_values_reads_other_rows(org_a, org_b, fresh):
    with scopes_disabled():
        first = [u.name for u in Unit.objects.filter(organization=org_a.org).order_by("name")]
        second = [u.name for u in Unit.objects.filter(organization=org_b.org).order_by("name")]
    assert first == ["Agency Alpha Department", "Agency Alpha Team"]
    assert second == ["Agency Beta Department", "Agency Beta Team"]
    assert (fresh("misses"), fresh("hits")) == (1, 1)


def test_select_related_rows_come_with_their_relations(org_a, org_b, fresh):
    with scopes_disabled():
        for persona in (org_a, org_b, org_a):
            membership = (
                Membership.objects.select_related("user", "organization")
                .filter(user=persona.admin)
                .get()
            )
            assert membership.organization == persona.org
            assert membership.user.email == persona.admin.email
    assert fresh("hits") == 2


def test_only_and_defer_are_shapes_too(org_a, org_b, fresh):
    """``only()`` leaves a set in the query (unhashable): such queries were never cached."""
    with scopes_disabled():
        for persona in (org_a, org_b, org_a):
            unit = Unit.objects.only("name").get(pk=persona.unit.pk)
            assert unit.name == persona.unit.name
            assert unit.get_deferred_fields()  # the rest stays deferred
            assert Unit.objects.defer("name").get(pk=persona.unit.pk).pk == persona.unit.pk
        names = Unit.objects.only("name", "parent").filter(pk=org_a.unit.pk)
        assert [u.name for u in names] == [org_a.unit.name]
    assert (fresh("misses"), fresh("hits"), fresh("uncacheable")) == (3, 4, 0)


def test_a_different_where_clause_is_a_different_entry(org_a, org_b, fresh):
    with scopes_disabled():
        one = list(Unit.objects.filter(pk__in=[org_a.unit.pk]).values_list("name", flat=True))
        two = list(
            Unit.objects.filter(pk__in=[org_a.unit.pk, org_b.unit.pk])
            .order_by("name")
            .values_list("name", flat=True)
        )
        by_name = list(Unit.objects.filter(name="Agency Beta Team").values_list("pk", flat=True))
    assert one == ["Agency Alpha Department"]
    assert two == ["Agency Alpha Department", "Agency Beta Department"]
    assert by_name == [org_b.team.pk]
    assert fresh("hits") == 0


def test_constant_parameters_around_the_where_clause_are_kept(org_a, org_b, fresh):
    """exists() selects a constant 1 ahead of the WHERE clause; an annotation with an
    ordering by it puts parameters after it."""
    with scopes_disabled():
        assert Unit.objects.filter(organization=org_a.org).exists()
        assert not Unit.objects.filter(organization=org_a.org, name="Nothing").exists()
        assert Unit.objects.filter(organization=org_b.org).exists()
        counts = [
            list(
                Unit.objects.filter(organization=org.org)
                .values("kind")
                .annotate(n=Count("pk"), twice=F("order") * 2)
                .order_by("kind")
                .values_list("kind", "n")
            )
            for org in (org_a, org_b)
        ]
    assert counts[0] == counts[1] == [("department", 1), ("team", 1)]
    assert fresh("hits") >= 2


def test_verify_mode_catches_an_entry_that_differs_from_django(org_a, fresh, settings):
    settings.SHAPE_CACHE = "verify"
    with scopes_disabled():
        list(Unit.objects.filter(organization=org_a.org))
        key, entry = next(iter(shapes._entries.items()))
        shapes._entries[key] = dataclasses.replace(entry, sql=entry.sql + " ")
        with pytest.raises(AssertionError, match="differs from Django"):
            list(Unit.objects.filter(organization=org_a.org))


def test_off_leaves_every_query_to_django(org_a, fresh, settings):
    settings.SHAPE_CACHE = "off"
    with scopes_disabled():
        list(Unit.objects.filter(organization=org_a.org))
        list(Unit.objects.filter(organization=org_a.org))
    assert (fresh("misses"), fresh("hits"), len(shapes._entries)) == (0, 0, 0)


def test_queries_it_cannot_tell_apart_are_left_alone(org_a, fresh):
    from django.db import transaction
    from django.db.models import OuterRef, Subquery

    with scopes_disabled(), transaction.atomic():
        newest = Unit.objects.filter(parent=OuterRef("pk")).values("name")[:1]
        rows = list(
            Unit.objects.filter(organization=org_a.org)
            .annotate(child=Subquery(newest))
            .values_list("name", "child")
            .order_by("name")
        )
    assert rows == [("Agency Alpha Department", "Agency Alpha Team"), ("Agency Alpha Team", None)]
    assert fresh("uncacheable") >= 1


@pytest.mark.django_db(transaction=True)  # autocommit outside the atomic blocks
def test_locking_reads_are_shapes_of_their_own(org_a, org_b, fresh):
    """SELECT … FOR UPDATE: each kind of lock is its own entry (a plain read never gets a
    lock clause, a lock never loses it), and a hit is still refused outside a transaction,
    as Django refuses it."""
    from django.db import transaction
    from django.db.transaction import TransactionManagementError
    from django.test.utils import CaptureQueriesContext

    def statements(make):
        with CaptureQueriesContext(connection) as ctx:
            assert [u.name for u in make()] == ["Agency Alpha Department", "Agency Alpha Team"]
        return [q["sql"] for q in ctx.captured_queries]

    with scopes_disabled():
        plain = lambda: Unit.objects.filter(organization=org_a.org).order_by("name")  # noqa: E731
        with transaction.atomic():
            locked = statements(lambda: plain().select_for_update())
            again = statements(lambda: plain().select_for_update())
            of_self = statements(lambda: plain().select_for_update(of=("self",)))
            nowait = statements(lambda: plain().select_for_update(nowait=True))
        unlocked = statements(plain)
        if connection.features.has_select_for_update:  # SQLite ignores the lock, as Django
            with pytest.raises(TransactionManagementError):
                list(plain().select_for_update())
        else:
            list(plain().select_for_update())
    assert locked == again
    assert (fresh("misses"), fresh("hits")) == (4, 2)  # the refused one was a hit too
    if connection.features.has_select_for_update:
        assert locked[0].endswith("FOR UPDATE")
        assert of_self[0].endswith('FOR UPDATE OF "strategyhub_unit"')
        assert nowait[0].endswith("FOR UPDATE NOWAIT")
    assert "FOR UPDATE" not in unlocked[0]


def test_the_cache_is_bounded(org_a, fresh, monkeypatch):
    monkeypatch.setattr(shapes, "LIMIT", 3)
    with scopes_disabled():
        for n in range(1, 7):
            ids = [org_a.unit.pk, *range(-n, -1)]  # one more id each time: a new clause
            assert list(Unit.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [
                org_a.unit.pk
            ]
    assert len(shapes._entries) == 3


def test_written_for_this_release_of_django():
    """The cache reads Django's compiler internals: a new Django (the lock file pins one)
    is a reason to read ``strategyhub/db/shapes.py`` again, with this suite in verify mode."""
    import django

    assert django.VERSION[:2] == (5, 2)


def test_a_filtered_relation_is_left_to_django(org_a, fresh):
    """Its condition joins at compile time (here for the ordering), outside the key: each
    query is sent with its own condition."""
    from django.db.models import FilteredRelation, Q
    from django.test.utils import CaptureQueriesContext

    sent = []
    with scopes_disabled():
        for name in ("First child", "Second child"):
            with CaptureQueriesContext(connection) as queries:
                list(
                    Unit.objects.annotate(
                        own=FilteredRelation("children", condition=Q(children__name=name))
                    )
                    .filter(pk=org_a.unit.pk)
                    .order_by("own__name")
                )
            sent.append(queries[-1]["sql"])
    assert "First child" in sent[0] and "Second child" in sent[1]
    assert fresh("hits") == 0


def test_the_current_time_zone_is_part_of_the_shape(org_a, fresh):
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    with scopes_disabled():
        days = []
        for zone in ("Etc/GMT+12", "Pacific/Kiritimati"):  # UTC−12 and UTC+14: never one day
            with timezone.override(zone):
                days.append(
                    Unit.objects.filter(pk=org_a.unit.pk)
                    .annotate(day=TruncDate("updated_at"))
                    .values_list("day", flat=True)
                    .get()
                )
    with scopes_disabled():
        moment = Unit.objects.filter(pk=org_a.unit.pk).values_list("updated_at", flat=True).get()
    assert days == [
        moment.astimezone(timezone.get_fixed_timezone(-12 * 60)).date(),
        moment.astimezone(timezone.get_fixed_timezone(14 * 60)).date(),
    ]
    assert fresh("hits") == 0


def test_constants_and_output_fields_are_told_apart(org_a, fresh):
    """Django's equality takes Value(True) for Value(1) and compares output fields by class."""
    from django.db.models import BooleanField, CharField, IntegerField, Value
    from django.db.models.functions import Cast

    with scopes_disabled():
        units = Unit.objects.filter(pk=org_a.unit.pk)
        one = units.annotate(v=Value(1, output_field=IntegerField())).values_list("v", flat=True)
        true = units.annotate(v=Value(True, output_field=BooleanField())).values_list(
            "v", flat=True
        )
        assert (one.get(), true.get()) == (1, True)
        assert type(true.get()) is bool
        short = units.annotate(c=Cast("name", CharField(max_length=6))).values_list("c", flat=True)
        long = units.annotate(c=Cast("name", CharField(max_length=12))).values_list("c", flat=True)
        if connection.vendor == "postgresql":  # SQLite ignores a varchar's length
            assert (short.get(), long.get()) == ("Agency", "Agency Alpha")
    assert fresh("hits") >= 1  # the repeated get() of ``true``
