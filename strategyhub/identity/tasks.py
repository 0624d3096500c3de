"""The periodic check of the agencies' provider grants (strategyhub/identity/sso/grants.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="strategyhub.identity.tasks.check_provider_grants")
def check_provider_grants() -> int:
    from strategyhub.identity.sso.grants import check_due_grants

    return check_due_grants()
