"""Write endpoints: a measure value (or its correction), many values at once, a check-in.
Each calls the same service as the staff forms (``scorecards.measures.record_value``,
``scorecards.bulk_values.store_values``, ``okrs.checkins.record``: one set of rules, one
roll-up), after the same permission checks, guarded by the ``Idempotency-Key`` header
(``strategyhub.idempotency``: keys kept in PostgreSQL; the same key with another body is
refused with 422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import HttpError

from api.v1 import schemas as s
from api.v1.core import api, caller_of, error, v1_router
from api.v1.reads import checkin_out, key_result_items, value_out
from okrs import checkins
from okrs.access import can_check_in
from okrs.cards import CARD_RELATED, with_card_data
from okrs.models import CheckIn, KeyResult
from scorecards import bulk_values, measures
from scorecards.models import Measure, MeasureValue
from scorecards.permissions import can_enter_values
from strategyhub import idempotency
from strategyhub.permissions import Action, MemberPermissions

router = v1_router  # one router: a path read and written is one URL

T = TypeVar("T")

WRITE_ERRORS: dict[int, type[Schema]] = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    409: s.Error,
    415: s.Error,
    422: s.Error,
    429: s.Error,
}
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _perms(request: HttpRequest) -> MemberPermissions:
    return request.perms  # type: ignore[attr-defined]


def _require_write(request: HttpRequest) -> None:
    if not caller_of(request).token.can_write:
        raise HttpError(403, "This token may only read; create a read-and-write token.")


class Refused(Exception):
    """A rule refused the write: 422 with a message per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("refused")
        self.errors = errors


def _once(
    request: HttpRequest,
    scope: str,
    action: Callable[[], T | None],
    summarise: Callable[[Any], dict[str, Any]],
) -> tuple[bool, T | None, dict[str, Any]]:
    """Run ``action`` once per Idempotency-Key (the header; none: always). Returns
    (replayed, result, summary)."""
    caller = caller_of(request)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not idempotency.valid_key(key):
        raise HttpError(400, "Idempotency-Key: use 16 to 100 letters, digits, - or _.")
    try:
        done = idempotency.run_once(
            caller.organization,
            caller.user,
            f"api.{scope}",
            key,
            action,
            summarise,
            fingerprint=idempotency.fingerprint_of(request.body),
        )
    except idempotency.KeyReused:
        raise HttpError(
            422, "This Idempotency-Key was used for a different request; use a new key."
        ) from None
    return done.replayed, done.result, done.summary


def _field_errors(refusal: Any) -> dict[str, list[str]]:
    return {
        ("__all__" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in refusal.message_dict.items()
    }


@router.post(
    "/measures/{measure_id}/values",
    response={201: s.ValueOut, **WRITE_ERRORS},
    tags=["write"],
    summary="Enter (or correct) a measure's value",
)
def post_value(request: HttpRequest, measure_id: int, payload: s.ValueIn) -> Any:
    """Entered measures only: a calculated one (fed by key results) answers 409. A second
    value for a period is refused unless `correction` is true (the old value stays in the
    measure's history)."""
    _require_write(request)
    caller = caller_of(request)
    measure: Measure = get_object_or_404(
        Measure.objects.select_related("objective__plan"), pk=measure_id
    )
    measure.organization = caller.organization
    perms = _perms(request)
    if not can_enter_values(
        perms,
        measure,
        perms.editable_among({measure.org_unit_id} if measure.org_unit_id else set()),
    ):
        raise HttpError(403, "You may not enter values for this measure.")
    if measure.is_calculated:
        raise HttpError(
            409, "This measure is calculated from its key results; it cannot be typed in."
        )

    def store() -> MeasureValue:
        try:
            return measures.record_value(
                measure,
                plan=measure.objective.plan,
                organization=caller.organization,
                period=payload.period,
                value=payload.value,
                user=caller.user,
                note=payload.note,
                correction=payload.correction,
            )
        except measures.ValueRefused as refusal:
            raise Refused(_field_errors(refusal)) from None

    def summarise(value: MeasureValue) -> dict[str, Any]:
        return {"value": value.pk}

    replayed, stored, summary = _once(request, f"value:{measure.pk}", store, summarise)
    if replayed or stored is None:
        stored = get_object_or_404(MeasureValue, pk=summary.get("value"), measure=measure)
    return Status(201, value_out(stored))


def _summarise_bulk(values: list[MeasureValue]) -> dict[str, Any]:
    return {"values": [v.pk for v in values]}


@router.post(
    "/values/bulk",
    response={
        201: s.BulkOut,
        422: s.BulkRefused,
        **{k: v for k, v in WRITE_ERRORS.items() if k != 422},
    },
    tags=["write"],
    summary="Enter many values of many measures, all or nothing",
)
def post_values_bulk(request: HttpRequest, payload: s.BulkIn) -> Any:
    """Up to 1,000 rows. If any row is refused nothing is stored and the answer (422) lists
    each refused row (numbered from 0) with its messages."""
    _require_write(request)
    caller = caller_of(request)
    perms = _perms(request)
    if not perms.can(Action.CHECK_IN_OWN):
        raise HttpError(403, "Your role reads only; it cannot enter values.")

    def may_enter(found: list[Measure]) -> set[int]:
        editable = perms.editable_among({m.org_unit_id for m in found if m.org_unit_id})
        return {m.pk for m in found if can_enter_values(perms, m, editable)}

    rows = [
        bulk_values.ValueRow(
            measure_id=row.measure_id,
            period=row.period,
            value=row.value,
            note=row.note,
            correction=row.correction,
        )
        for row in payload.values
    ]

    def store() -> list[MeasureValue]:
        return bulk_values.store_values(caller.organization, caller.user, rows, may_enter=may_enter)

    try:
        replayed, stored, summary = _once(request, "values.bulk", store, _summarise_bulk)
    except bulk_values.BulkRefused as refused:
        return Status(
            422,
            {
                "detail": f"{len(refused.rows)} row(s) refused; nothing was stored.",
                "rows": [{"row": e.row, "errors": e.errors} for e in refused.rows],
            },
        )
    if replayed or stored is None:
        stored = list(MeasureValue.objects.filter(pk__in=summary.get("values", [])))
    return Status(201, {"stored": len(stored), "values": [value_out(v) for v in stored]})


@router.post(
    "/key-results/{key_result_id}/check-ins",
    response={201: s.CheckInResult, **WRITE_ERRORS},
    tags=["write"],
    summary="Check in on a key result",
)
def post_check_in(request: HttpRequest, key_result_id: int, payload: s.CheckInIn) -> Any:
    """The same rules and roll-up as the check-in form (``okrs.checkins.record``): the
    result's score moves and the measure it feeds is recomputed in the same transaction. A
    closed quarter, a date outside the cycle or in the future, a missing value: 422."""
    _require_write(request)
    caller = caller_of(request)
    kr: KeyResult = get_object_or_404(
        KeyResult.objects.select_related(*CARD_RELATED), pk=key_result_id
    )
    kr.organization = caller.organization
    if not can_check_in(_perms(request), kr):
        raise HttpError(403, "You may not check in on this key result.")
    entry = checkins.CheckInEntry(**payload.dict())

    def store() -> checkins.CheckInOutcome:
        try:
            return checkins.record(kr, caller.user, entry)
        except checkins.CheckInRefused as refusal:
            raise Refused(_field_errors(refusal)) from None

    def summarise(done: checkins.CheckInOutcome) -> dict[str, Any]:
        return {
            "checkin": done.checkin.pk,
            "measure_value": done.measure_value.pk if done.measure_value else None,
        }

    _, outcome, summary = _once(request, f"checkin:{kr.pk}", store, summarise)
    checkin = (
        outcome.checkin
        if outcome is not None
        else get_object_or_404(CheckIn, pk=summary.get("checkin"), key_result=kr)
    )
    measure_value = (
        outcome.measure_value
        if outcome is not None
        else MeasureValue.objects.filter(pk=summary.get("measure_value") or 0).first()
    )
    fresh = with_card_data(KeyResult.objects.filter(pk=kr.pk)).get()
    today = caller.organization.today()
    return Status(
        201,
        {
            "checkin": checkin_out(checkin),
            "key_result": key_result_items([fresh], today)[0],
            "measure_value": value_out(measure_value) if measure_value else None,
        },
    )


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> Any:
    return error(api, request, 422, "A rule refused the request; see `errors`.", exc.errors)
