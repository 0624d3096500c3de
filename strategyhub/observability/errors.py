"""Error reports to Sentry (or a Sentry-compatible service such as GlitchTip), on only when
``SENTRY_DSN`` is set. Personal data is not sent (``send_default_pii`` off: no cookies,
user names, emails or IP addresses; request bodies are not attached). Each event carries
the release (``STRATEGYHUB_RELEASE``), the environment, and the request id or task id of
the work that failed, so an event can be matched with its log lines. Query strings and
cookies are dropped from events, and Redis commands are not recorded (cache keys include
session keys)."""

from __future__ import annotations

from typing import Any

from strategyhub.observability.context import request_id_var, task_id_var, task_name_var


def _add_context(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        # Query strings may carry search terms or tokens: the path is enough to find a bug.
        request.pop("query_string", None)
        request.pop("cookies", None)
    tags = event.setdefault("tags", {})
    for key, var in (
        ("request_id", request_id_var),
        ("task_id", task_id_var),
        ("task_name", task_name_var),
    ):
        value = var.get()
        if value:
            tags[key] = value
    return event


def init_sentry(
    dsn: str, *, release: str = "", environment: str = "production", traces_sample_rate: float = 0
) -> None:
    """Start the Sentry client for this process (web and worker alike: settings call it)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release or None,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Redis breadcrumbs would carry cache keys, and session keys are part of those.
        disabled_integrations=[RedisIntegration()],
        before_send=_add_context,  # type: ignore[arg-type]
    )
