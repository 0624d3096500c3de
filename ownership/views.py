"""Ownership page, notifications, preferences, settings and the update workflow."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scope

from okrs.models import CheckIn, CycleKind, KeyResult
from okrs.services import current_quarter_or_create
from ownership import alerts as alert_service
from ownership.forms import OwnershipSettingsForm, PreferencesForm, TransferForm
from ownership.models import Alert, AlertKind, NotificationPreference
from ownership.services import (
    MODELS,
    REFERENCE_OWNED_ON_TRACK,
    REFERENCE_UNOWNED_ON_TRACK,
    OwnershipRefused,
    assign_owner,
    ownership_report,
    settings_for,
    transfer_ownership,
)
from ownership.tasks import UNSUBSCRIBE_SALT, remind_checkins
from scorecards.calc import format_number, format_percent_share
from scorecards.forms import member_choices
from strategyhub import pagecache
from strategyhub.models import Organization
from strategyhub.permissions import Action, require

GAPS_PER_PAGE = 25
# With more members than this, a gap's reassignment form (a select of every member) is
# fetched when asked for, instead of repeated on every row of the page.
INLINE_MEMBER_LIMIT = 30


def _may_reassign(perms, item_type: str) -> bool:
    needed = (
        Action.EDIT_PLAN
        if item_type in ("strategic_objective", "measure")
        else (Action.EDIT_ALL_OKRS)
    )
    return perms.can(needed)


@require(Action.VIEW)
def page(request, org_slug: str):
    return pagecache.render_cached(request, "ownership/page.html", lambda: _page_context(request))


def _page_context(request) -> dict:
    today = request.organization.today()
    report = ownership_report(request.organization, today)
    gaps_page = Paginator(report.gaps, GAPS_PER_PAGE).get_page(request.GET.get("page"))
    members = list(member_choices(request.organization))
    return {
        "report": report,
        "gaps_page": gaps_page,
        "owned_rate": format_percent_share(report.owned_rate, 1),
        "unowned_rate": format_percent_share(report.unowned_rate, 1),
        "ratio": None if report.ratio is None else format_number(report.ratio, 1),
        "reference_owned": format_percent_share(REFERENCE_OWNED_ON_TRACK, 1),
        "reference_unowned": format_percent_share(REFERENCE_UNOWNED_ON_TRACK, 1),
        "reference_ratio": format_number(REFERENCE_OWNED_ON_TRACK / REFERENCE_UNOWNED_ON_TRACK, 1),
        "members": members,
        "inline_reassign": len(members) <= INLINE_MEMBER_LIMIT,
        "transfer_form": TransferForm(organization=request.organization)
        if request.perms.can(Action.MANAGE_MEMBERS)
        else None,
        "can_reassign_plan": request.perms.can(Action.EDIT_PLAN),
        "can_reassign_okrs": request.perms.can(Action.EDIT_ALL_OKRS),
    }


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def reassign(request, org_slug: str, item_type: str, item_id: int):
    if item_type not in MODELS:
        raise Http404
    target = get_object_or_404(MODELS[item_type], pk=item_id)  # another agency's: not found
    if not _may_reassign(request.perms, item_type):
        raise PermissionDenied
    if request.method == "GET":
        # The form alone (htmx, in place of the row's button) or on a page of its own.
        context = {
            "item": {"type": item_type, "id": item_id, "label": str(target)},
            "members": list(member_choices(request.organization)),
            "autofocus": True,
        }
        if request.htmx:
            return render(request, "ownership/_reassign.html", context)
        return render(request, "ownership/reassign.html", context)
    error = None
    try:
        user_id = int(request.POST.get("owner", ""))
    except ValueError:
        user_id, error = None, "Choose a person."
    item = None
    if error is None:
        try:
            item = assign_owner(item_type, item_id, user_id)
        except OwnershipRefused as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "ownership/page.html#gap-result",
            {"item": item, "error": error, "item_type": item_type, "item_id": item_id},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{item}” is now owned by {item.owner.display_name}.")
    return redirect("ownership:page", org_slug)


@require(Action.MANAGE_MEMBERS)
@require_POST
def transfer(request, org_slug: str):
    form = TransferForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            moved = transfer_ownership(
                form.cleaned_data["from_user"].pk, form.cleaned_data["to_user"].pk
            )
        except OwnershipRefused as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            giver = form.cleaned_data["from_user"].display_name
            taker = form.cleaned_data["to_user"].display_name
            messages.success(
                request, f"{sum(moved.values())} item(s) moved from {giver} to {taker}."
            )
    else:
        messages.error(request, "Choose who hands over and an active member who takes over.")
    return redirect("ownership:page", org_slug)


# --- Notifications --------------------------------------------------------------------------


@require(Action.VIEW)
def notifications(request, org_slug: str):
    alerts = list(
        Alert.objects.filter(recipient=request.user).order_by("read_at", "-created_at")[:200]
    )
    return render(request, "ownership/notifications.html", {"alerts": alerts})


@require(Action.VIEW)
@require_POST
def mark_read(request, org_slug: str, alert_id: int | None = None):
    mine = Alert.objects.filter(recipient=request.user, read_at=None)
    if alert_id is not None:
        mine = mine.filter(pk=alert_id)
    mine.update(read_at=timezone.now())
    pagecache.person_changed(request.user.pk)  # the bell in their header
    return redirect("ownership:notifications", org_slug)


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def preferences(request, org_slug: str):
    chosen = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    current = {
        kind: chosen.get(kind, alert_service.DEFAULT_DELIVERY[AlertKind(kind)])
        for kind in AlertKind.values
    }
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            NotificationPreference.objects.update_or_create(
                organization=request.organization, user=request.user, kind=kind,
                defaults={"delivery": delivery},
            )  # fmt: skip
        messages.success(request, "Your notification preferences were saved.")
        return redirect("ownership:preferences", org_slug)
    return render(request, "ownership/preferences.html", {"form": form})


@require(Action.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request, org_slug: str):
    form = OwnershipSettingsForm(request.POST or None, instance=settings_for(request.organization))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The ownership settings were saved.")
        return redirect("ownership:settings", org_slug)
    return render(
        request, "ownership/settings.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe from one kind of email (signed link, no login needed)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=dt.timedelta(days=365))
    except signing.BadSignature:
        return render(request, "ownership/unsubscribe.html", {"invalid": True}, status=400)
    organization = get_object_or_404(Organization, pk=data["o"])
    kind = AlertKind(data["k"])
    done = False
    if request.method == "POST":
        with scope(organization=organization):
            NotificationPreference.objects.update_or_create(
                organization=organization, user_id=data["u"], kind=kind,
                defaults={"delivery": "off"},
            )  # fmt: skip
        done = True
    return render(
        request,
        "ownership/unsubscribe.html",
        {"kind": kind.label, "agency_name": organization.name, "done": done},
    )


# --- Update workflow ------------------------------------------------------------------------


@require(Action.VIEW)
@require_http_methods(["GET", "POST"])
def workflow(request, org_slug: str):
    organization = request.organization
    today = organization.today()
    cycle = current_quarter_or_create(organization, today)
    if request.method == "POST":
        if not request.perms.can(Action.EDIT_ALL_OKRS):
            raise PermissionDenied
        count = remind_checkins(organization_id=organization.pk, today=today.isoformat())
        messages.success(
            request,
            f"{count} reminder(s) sent. Owners already reminded this week are not reminded twice.",
        )
        return redirect("ownership:workflow", org_slug)
    key_results = list(
        KeyResult.objects.filter(
            objective__cycle=cycle, archived_at=None, objective__archived_at=None,
            objective__cycle__kind=CycleKind.QUARTER,
        ).select_related("owner", "objective__unit")
    )  # fmt: skip
    weeks = []
    week_start = cycle.start - dt.timedelta(days=cycle.start.weekday())
    while week_start <= min(today, cycle.end):
        weeks.append(week_start)
        week_start += dt.timedelta(days=7)
    received = defaultdict(set)
    for kr_id, as_of in CheckIn.objects.filter(
        key_result__in=key_results, as_of__gte=cycle.start, as_of__lte=today
    ).values_list("key_result_id", "as_of"):
        received[kr_id].add(as_of - dt.timedelta(days=as_of.weekday()))
    this_week = weeks[-1] if weeks else None
    by_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_owner: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missing = []
    for kr in key_results:
        expected, got = len(weeks), len(received[kr.pk] & set(weeks))
        unit = kr.objective.unit.name if kr.objective.unit_id else "No unit"
        owner = kr.owner.display_name if kr.owner_id else "No owner"
        for bucket in (by_unit[unit], by_owner[owner]):
            bucket[0] += expected
            bucket[1] += got
        if this_week and this_week not in received[kr.pk]:
            missing.append(kr)

    def rows(buckets):
        return [
            (
                name,
                got,
                expected,
                format_percent_share(Decimal(got) / Decimal(expected) if expected else None),
            )
            for name, (expected, got) in sorted(buckets.items())
        ]

    return render(
        request,
        "ownership/workflow.html",
        {
            "cycle": cycle, "weeks": len(weeks), "by_unit": rows(by_unit),
            "by_owner": rows(by_owner), "missing": missing, "this_week": this_week,
            "can_remind": request.perms.can(Action.EDIT_ALL_OKRS),
        },
    )  # fmt: skip
