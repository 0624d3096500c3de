"""The container health checks of docker-compose.yml (strategyhub/config/container_health.py);
the running processes are checked by the production smoke test (.ci/smoke.py)."""

import os
import time

from strategyhub.config import container_health


def test_beat_is_healthy_while_its_schedule_file_is_fresh(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    assert "no beat schedule file" in container_health.beat(str(schedule), max_age=600)
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"x")  # the file dbm makes of it
    assert container_health.beat(str(schedule), max_age=600) is None
    old = time.time() - 601
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert "has not written" in container_health.beat(str(schedule), max_age=600)


def test_web_check_fails_when_nothing_listens(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:1")
    monkeypatch.delenv("GUNICORN_CERTFILE", raising=False)
    assert "127.0.0.1:1/healthz/live" in container_health.web(timeout=1)
    assert container_health.main(["web"]) == 1
    assert container_health.main([]) == 2
