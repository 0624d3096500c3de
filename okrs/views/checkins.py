"""My check-ins (the cards of the results a member owns), a check-in, a correction."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from okrs import cards, checkins
from okrs.access import key_result_for_checkin
from okrs.cycles import current_quarter_or_create
from okrs.forms import CheckInForm
from okrs.keyresults import kr_state, objective_score_of, score_of_record
from okrs.models import CheckIn, KeyResult
from scorecards.models import MeasureValue
from strategyhub import idempotency
from strategyhub.caching import pages as pagecache
from strategyhub.http import OrganizationRequest
from strategyhub.permissions import Action, require
from strategyhub.ui import dates
from strategyhub.ui.formatting import format_score


def _card(
    kr: KeyResult,
    today: dt.date,
    latest_value: MeasureValue | None,
    form: CheckInForm | None = None,
    saved: CheckIn | None = None,
) -> dict:
    """One key result's check-in card; ``kr`` is loaded by ``cards.load_card_data``."""
    readings = kr.card_readings  # type: ignore[attr-defined]  # load_card_data's
    objective_score = score_of_record(
        objective_score_of(kr.objective.live_key_results),
        status=kr.objective.status,
        final_score=kr.objective.final_score,
    )
    return {
        "kr": kr,
        "state": kr_state(kr, readings, kr.objective.cycle, today),
        "last": readings[-1] if readings else None,
        "form": form or CheckInForm(key_result=kr, today=today),
        "objective_score": format_score(objective_score),
        "objective_score_value": objective_score,
        "measure_value": latest_value,
        "saved": saved,
    }


def _record(
    form: CheckInForm, kr: KeyResult, request: OrganizationRequest, checkin: CheckIn | None = None
) -> checkins.CheckInOutcome | None:
    """Record the valid form's entry; a refusal (the rules changed since the form was
    checked, e.g. the cycle closed) lands in the form."""
    try:
        return checkins.record(kr, request.user, form.entry(), checkin=checkin)
    except checkins.CheckInRefused as refusal:
        form.add_refusal(refusal)
        return None


def _record_once(
    form: CheckInForm, kr: KeyResult, request: OrganizationRequest
) -> checkins.CheckInOutcome | None:
    """``_record`` guarded by the form's idempotency key: a double-clicked or resent
    submit answers with the check-in the first one saved instead of saving another."""
    done = idempotency.run_once(
        request.organization,
        request.user,
        f"okrs.checkin:{kr.pk}",
        form.cleaned_data.get(idempotency.FIELD),
        lambda: _record(form, kr, request),
        lambda outcome: {"checkin": outcome.checkin.pk},
    )
    if not done.replayed:
        return done.result
    earlier = CheckIn.objects.filter(pk=done.summary.get("checkin"), key_result=kr).first()
    if earlier is None:  # deleted since: nothing to show but nothing to save twice either
        return None
    return checkins.CheckInOutcome(checkin=earlier, measure_value=None)


@require(Action.VIEW)
def my_checkins(request: OrganizationRequest, org_slug: str) -> HttpResponse:
    def build() -> dict:
        organization = request.organization
        today = organization.today()
        cycle = current_quarter_or_create(organization, today)
        key_results = list(cards.my_key_results(request.user, today, prefetch=False))
        cards.load_card_data(key_results)
        latest = cards.latest_measure_values(key_results)
        shown = [_card(kr, today, latest.get(kr.measure_id)) for kr in key_results]
        week_start = today - dt.timedelta(days=today.weekday())
        return {
            "cards": shown,
            "checked_this_week": sum(
                1 for card in shown if card["last"] and card["last"].as_of >= week_start
            ),
            "today": today,
            "cycle": cycle,
        }

    return pagecache.render_cached(request, "okrs/my_checkins.html", build, per_user=True)


@require(Action.VIEW)
@require_POST
def checkin(request: OrganizationRequest, org_slug: str, key_result_id: int) -> HttpResponse:
    kr = key_result_for_checkin(request, key_result_id)
    today = request.organization.today()
    form = CheckInForm(request.POST, key_result=kr, today=today)
    outcome = _record_once(form, kr, request) if form.is_valid() else None
    if outcome and not request.htmx:
        messages.success(request, gettext("Check-in saved for “%(title)s”.") % {"title": kr.title})
        return redirect("okrs:my_checkins", org_slug)
    # The current value and score were updated in memory with the save; what it read (the
    # objective's live results, the result's check-ins when its roll-up read them) is not
    # read again.
    cards.load_card_data([kr], outcome)
    latest = (
        cards.measure_value_after(kr, outcome, today)
        if outcome
        else cards.latest_measure_values([kr]).get(kr.measure_id)
    )
    saved = outcome.checkin if outcome else None
    card = _card(kr, today, latest, form=None if outcome else form, saved=saved)
    status = 200 if outcome else 400
    if request.htmx:
        # The member's other cards of this objective show its new score too (out-of-band);
        # from the results already loaded with the card, no further query.
        siblings = (
            [
                other
                for other in kr.objective.live_key_results
                if other.pk != kr.pk and other.owner_id == request.user.pk
            ]
            if outcome
            else []
        )
        return render(
            request,
            "okrs/my_checkins.html#checkin-answer",
            {"card": card, "siblings": siblings},
            status=status,
        )
    return render(
        request,
        "okrs/my_checkins.html",
        {"cards": [card], "today": today, "cycle": kr.objective.cycle},
        status=status,
    )


@require(Action.VIEW)
@require_POST
def checkin_edit(
    request: OrganizationRequest, org_slug: str, key_result_id: int, checkin_id: int
) -> HttpResponse:
    """Correct an earlier check-in; its earlier version stays in the history."""
    kr = key_result_for_checkin(request, key_result_id)
    original = get_object_or_404(CheckIn, pk=checkin_id, key_result=kr)
    form = CheckInForm(
        request.POST,
        key_result=kr,
        today=request.organization.today(),
        prefix=f"edit{original.pk}",
    )
    if form.is_valid():
        _record(form, kr, request, checkin=original)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else gettext("Check-in")
            messages.error(
                request,
                gettext("%(field)s: %(errors)s") % {"field": label, "errors": " ".join(errors)},
            )
    else:
        messages.success(
            request,
            gettext("The check-in of %(day)s was corrected.")
            % {"day": dates.month_day(original.as_of)},
        )
    return redirect("okrs:key_result", org_slug, kr.pk)
