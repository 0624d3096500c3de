"""The SQL of a query shape, compiled once per process.

Why: turning a queryset into SQL costs Django more than running it does on most of our pages
(measured on the large agency, 3 December: 10–13 ms of a 55 ms staff page, a third of the
signed-in POST floor, ``docs/performance.md``). A page asks the same queries on every view,
with other ids: the SELECT list, the joins, the ordering and the limit are the same, only
the WHERE clause's values change. This cache keeps, for each *shape*, the finished SQL and
the compiler's column map; a query of a known shape compiles only its WHERE clause (cheap:
a few lookups) and runs the stored SQL with that clause's parameters.

What a shape is, and why a stored entry can only be right:

- The key is everything that decides the SQL outside the WHERE clause (``_shape``): model,
  table aliases and joins (with their types and whether they are used), select_related,
  deferred fields, values(), annotations, ordering, DISTINCT, limits, subquery-ness, the
  database and the current time zone (a truncation without its own zone names it); plus
  the WHERE clause's own compiled SQL text. Expressions are keyed node by node with each
  constant's type and each explicit output field's arguments (``_expression``): Django's
  own equality takes ``Value(True)`` for ``Value(1)`` and compares output fields by class.
  Queries whose shape cannot be told cheaply are never cached: raw ``extra()``, set
  operations, FilteredRelation (its condition joins at compile time),
  annotations or orderings that hold a subquery, anything unhashable.
- An entry is stored only when the WHERE clause is found once in the statement with its
  parameters in place; the parameters before it (SELECT, joins) and after it (GROUP BY,
  ORDER BY) come from the shape itself, so they are kept with the SQL, and the stored SQL
  with the new WHERE parameters is exactly what Django would have built.
- SELECT … FOR UPDATE is a shape like any other: its lock clause (``nowait``,
  ``skip_locked``, ``of``, ``no_key``) is part of the key, and a hit makes Django's one check
  that depends on the moment rather than the shape (no lock outside a transaction); the
  others depend on the database's features, so a shape Django refuses is never stored.
- ``SHAPE_CACHE = "verify"`` (the test suite's setting) compiles every hit the ordinary way
  too and raises if the two differ, so all of the project's tests check the cache against
  Django; ``"off"`` disables it.

Bounded: at most ``LIMIT`` shapes per process, the least recently used dropped first.

It is installed by the project's two database backends (``strategyhub.db.postgresql`` and
``strategyhub.db.sqlite3``, Django's built-in ones with this compiler), chosen in
``strategyhub.config.env``. It relies on Django's compiler internals (``setup_query``,
``select``, ``klass_info``), which is why the lock file pins Django's release and
``tests/db/test_shapes.py`` names the minor release it was written for (the whole suite runs
in verify mode)."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import Value
from django.db.models.expressions import Col
from django.db.transaction import TransactionManagementError
from django.utils import timezone

LIMIT = 2048


@dataclass(frozen=True, slots=True)
class _Entry:
    sql: str
    before: tuple  # the parameters ahead of the WHERE clause's (say, exists()'s constant 1)
    after: tuple  # and after it (an ordering's)
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


_entries: OrderedDict[tuple, _Entry] = OrderedDict()
stats = {"hits": 0, "misses": 0, "uncacheable": 0}


def clear() -> None:
    _entries.clear()


def _select_related(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _select_related(v)) for k, v in value.items()))
    return value


def _expression(node: Any) -> Any:
    """An expression as a key: Django's own equality compares output fields by class only
    and constants by ``==`` (``Value(True) == Value(1)``, a ``Cast`` to ``varchar(10)`` equal
    to one to ``varchar(20)``), so the key spells out each node's class, each constant with
    its type and each explicit output field with its arguments."""
    if node is None or isinstance(node, str | int):
        return (type(node), node)
    parts: list[Any] = [type(node)]
    if isinstance(node, Value):
        parts.append((type(node.value), repr(node.value)))
    field = node.__dict__.get("output_field")
    if field is not None and not isinstance(node, Col):  # a column's field is its identity
        parts.append(repr(field.deconstruct()[1:]))
    for attribute in ("descending", "nulls_first", "nulls_last", "distinct", "function"):
        if attribute in node.__dict__:
            parts.append((attribute, node.__dict__[attribute]))
    if hasattr(node, "get_source_expressions"):
        parts.append(tuple(_expression(child) for child in node.get_source_expressions()))
    parts.append(node)  # and Django's own identity (names, targets, arguments)
    return tuple(parts)


def _has_subquery(expressions: Any) -> bool:
    return any(
        not isinstance(e, str)
        and (getattr(e, "subquery", False) or getattr(e, "contains_subquery", True))
        for e in expressions
    )


def _shape(compiler: Any) -> tuple | None:
    """What decides the statement outside its WHERE clause, hashable, or None when the
    query is one this cache leaves alone."""
    q = compiler.query
    if (
        q.combinator
        or q.extra
        or q.extra_tables
        or q.extra_order_by
        or q.explain_info
        or q._filtered_relations  # their conditions join at compile time (not in the key)
        or _has_subquery(q.annotations.values())
        or _has_subquery(q.order_by)
    ):
        return None
    annotation_mask = q.annotation_select_mask
    shape = (
        compiler.using,
        compiler.elide_empty,
        # Truncations and date transforms without their own zone name the current one.
        timezone.get_current_timezone_name(),
        q.model,
        q.alias_prefix,
        q.subquery,
        q.default_cols,
        (
            q.select_for_update,
            q.select_for_update_nowait,
            q.select_for_update_skip_locked,
            q.select_for_update_of,
            q.select_for_no_key_update,
        ),
        q.distinct,
        q.distinct_fields,
        q.low_mark,
        q.high_mark,
        q.default_ordering,
        q.standard_ordering,
        tuple(map(_expression, q.order_by)),
        q.group_by if not isinstance(q.group_by, tuple) else tuple(map(_expression, q.group_by)),
        _select_related(q.select_related),
        # ``only()`` leaves a set here (``defer()`` a frozenset): as a frozenset, so that
        # every query with ``only()`` is a shape too (it was never cached before).
        frozenset(q.deferred_loading[0]),
        q.deferred_loading[1],
        q.values_select,
        tuple((k, _expression(v)) for k, v in q.selected.items()) if q.selected else None,
        tuple(map(_expression, q.select)),
        tuple((k, _expression(v)) for k, v in q.annotations.items()),
        tuple(annotation_mask) if annotation_mask is not None else None,
        tuple(
            (alias, join.identity, getattr(join, "join_type", None), q.alias_refcount[alias])
            for alias, join in q.alias_map.items()
        ),
    )
    try:
        hash(shape)
    except TypeError:
        return None
    return shape


def _typed(params: Any) -> tuple:
    """Parameters compared with their types (``1 == True == 1.0`` in Python)."""
    return tuple((type(p), p) for p in params)


def _around_where(
    sql: str, params: tuple, w_sql: str, w_params: tuple
) -> tuple[tuple, tuple] | None:
    """The statement's parameters before and after its WHERE clause's, or None when the
    clause cannot be found once in the statement with its parameters in place."""
    if not w_sql:
        return (params, ()) if not w_params else None
    marker = f" WHERE {w_sql}"
    at = sql.find(marker)
    if at < 0 or sql.find(marker, at + 1) >= 0:
        return None
    head = sql[:at]
    ahead = head.count("%s") - head.count("%%s")
    if params[ahead : ahead + len(w_params)] != w_params:
        return None
    return params[:ahead], params[ahead + len(w_params) :]


def _refuse_lock_outside_transaction(connection: Any) -> None:
    """Django's check of a SELECT … FOR UPDATE that depends on the moment, not the shape
    (``SQLCompiler.as_sql``): a lock outside a transaction is refused."""
    features = connection.features
    if (
        features.has_select_for_update
        and connection.get_autocommit()
        and features.supports_transactions
    ):
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )


class ShapeCacheMixin:
    """For Django's SQLCompiler: ``as_sql`` from the stored entry of the query's shape."""

    # Django's SQLCompiler's (declared for the type checker; Django has no stubs for them).
    query: Any
    using: str
    elide_empty: bool
    compile: Callable[[Any], tuple[str, list]]
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: Any
    has_extra_select: Any
    connection: Any
    where: Any
    having: Any
    qualify: Any

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> Any:
        mode = getattr(settings, "SHAPE_CACHE", "on")
        if not with_limits or with_col_aliases or mode == "off":
            return super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
        shape = _shape(self)
        if shape is None:
            stats["uncacheable"] += 1
            return super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
        query = self.query
        refcounts_before = query.alias_refcount.copy()
        try:
            where, having, qualify = query.where.split_having_qualify(
                must_group_by=query.group_by is not None
            )
            if having is not None or qualify is not None:
                stats["uncacheable"] += 1
                return super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
            try:
                w_sql, w_params = self.compile(where)
            except FullResultSet:
                w_sql, w_params = "", []
        except EmptyResultSet:
            return super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
        finally:
            query.reset_refcounts(refcounts_before)
        key = (shape, w_sql)
        entry = _entries.get(key)
        if entry is None:
            stats["misses"] += 1
            sql, params = super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
            split = _around_where(sql, tuple(params), w_sql, tuple(w_params))
            if split is not None:
                _entries[key] = _Entry(
                    sql,
                    *split,
                    self.select,
                    self.klass_info,
                    self.annotation_col_map,
                    self.col_count,
                    self.has_extra_select,
                )
                while len(_entries) > LIMIT:
                    try:
                        _entries.popitem(last=False)
                    except KeyError:  # emptied meanwhile by another thread
                        break
            return sql, params
        stats["hits"] += 1
        if query.select_for_update:
            _refuse_lock_outside_transaction(self.connection)
        with contextlib.suppress(KeyError):  # dropped meanwhile by another thread
            _entries.move_to_end(key)
        if mode == "verify":
            expected = super().as_sql(with_limits, with_col_aliases)  # type: ignore[misc]
            got = (entry.sql, (*entry.before, *w_params, *entry.after))
            if (
                (expected[0], _typed(expected[1])) != (got[0], _typed(got[1]))
                or self.col_count != entry.col_count
                or len(self.select) != len(entry.select)
                or self.annotation_col_map != entry.annotation_col_map
            ):
                raise AssertionError(
                    f"SQL shape cache differs from Django:\n{expected}\nagainst\n{got}"
                )
        self.select = entry.select
        self.klass_info = entry.klass_info
        self.annotation_col_map = entry.annotation_col_map
        self.col_count = entry.col_count
        self.has_extra_select = entry.has_extra_select
        self.where, self.having, self.qualify = where, None, None
        return entry.sql, (*entry.before, *w_params, *entry.after)
