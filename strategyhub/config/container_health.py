"""Container health checks (Docker ``HEALTHCHECK``, compose ``healthcheck``), without Django:
a check must be cheap, since the engine runs it every half minute, and must need no tool the
slim image lacks (no curl).

``python -m strategyhub.config.container_health web``
    GET ``/healthz/live`` on the local gunicorn (``GUNICORN_BIND``'s port, 8000 by default):
    the process answers. Liveness, not readiness: a database outage must not make the engine
    restart every web container; the load balancer reads ``/healthz/ready`` for routing.

``python -m strategyhub.config.container_health beat [SCHEDULE_FILE]``
    Celery beat writes its schedule file after every task it sends (``CELERY_BEAT_SYNC_EVERY =
    1``) and at least every three minutes, and the schedule sends a task every minute
    (``replay-cache-invalidations``). A file not written for ``BEAT_MAX_AGE`` seconds (10
    minutes by default) means beat is hung or stopped sending. Beat's own process being up
    proves nothing: a beat stuck on a dead broker connection is up and sends nothing.

The worker's check is Celery's own: ``celery -A strategyhub inspect ping -d celery@$HOSTNAME``
(the worker answers its broker; see docker-compose.yml).
"""

from __future__ import annotations

import glob
import os
import sys
import time
import urllib.request

DEFAULT_SCHEDULE = "/data/celerybeat-schedule"


def web(timeout: float = 3.0) -> str | None:
    """None when gunicorn answers /healthz/live with 200, else what went wrong."""
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    scheme = "https" if os.environ.get("GUNICORN_CERTFILE") else "http"
    url = f"{scheme}://127.0.0.1:{port}/healthz/live"
    context = None
    if scheme == "https":
        import ssl

        # The local process's own certificate is checked by the load balancer, not here.
        context = ssl._create_unverified_context()  # noqa: S323
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310
            return None if response.status == 200 else f"{url} answered {response.status}"
    except OSError as exc:
        return f"{url}: {exc}"


def beat(schedule: str = DEFAULT_SCHEDULE, max_age: float | None = None) -> str | None:
    """None when beat's schedule file (any of the files dbm makes of it) is recent."""
    if max_age is None:
        max_age = float(os.environ.get("BEAT_MAX_AGE", "600"))
    files = [schedule, *glob.glob(glob.escape(schedule) + ".*")]
    times = [os.path.getmtime(path) for path in files if os.path.exists(path)]
    if not times:
        return f"no beat schedule file at {schedule}"
    age = time.time() - max(times)
    if age > max_age:
        return f"beat has not written {schedule} for {age:.0f} s (more than {max_age:.0f} s)"
    return None


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"web", "beat"}:
        print("usage: python -m strategyhub.config.container_health web|beat [SCHEDULE]")
        return 2
    schedule = argv[1] if len(argv) > 1 else DEFAULT_SCHEDULE
    problem = web() if argv[0] == "web" else beat(schedule)
    if problem:
        print(problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
