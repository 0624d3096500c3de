"""The confirmation step before archiving, restoring or deleting an OKR objective or a key
result: a page of its own, so it works without JavaScript."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from okrs.models import KeyResult, OkrObjective
from strategyhub.http import OrganizationRequest

# What each action does, said on its confirmation page.
CONSEQUENCES = {
    ("key result", "archive"): (
        "It leaves its objective's score and the measure it feeds, and takes no check-ins; "
        "its check-ins and history stay, and it can be restored."
    ),
    ("key result", "restore"): "It rejoins its objective's score and the measure it feeds.",
    ("key result", "delete"): (
        "It is removed for good (its record stays in the history), and the measure it fed "
        "is recomputed without it."
    ),
    ("objective", "archive"): (
        "It leaves the cycle's overview and its key results leave the measures they feed; "
        "their check-ins and history stay, and it can be restored."
    ),
    ("objective", "restore"): "Its key results rejoin the measures they feed.",
    ("objective", "delete"): (
        "It and its key results are removed for good (their records stay in the history), "
        "and the measures they fed are recomputed without them."
    ),
}


def closed_refusal(objective: OkrObjective) -> str | None:
    if objective.cycle.is_closed:
        return f"{objective.cycle.label} is closed; its OKRs are frozen."
    return None


def confirm_page(
    request: OrganizationRequest,
    *,
    item: OkrObjective | KeyResult,
    action: str,
    action_url: str,
    back_url: str,
    refusal: str | None,
) -> HttpResponse:
    """Ask to confirm ``action`` on ``item``, or say why it is refused."""
    noun = "key result" if isinstance(item, KeyResult) else "objective"
    consequence = CONSEQUENCES[noun, action]
    return render(
        request,
        "okrs/confirm.html",
        {
            "item": item,
            "noun": noun,
            "action": action,
            "consequence": consequence,
            "action_url": action_url,
            "back_url": back_url,
            "refusal": refusal,
        },
    )
