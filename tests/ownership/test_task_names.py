"""Every ownership and publishing task keeps the name the beat schedule and queued
messages use, wherever its function lives."""

import ast
from pathlib import Path

from django.conf import settings

from strategyhub.config.celery import app

NAMES = {
    "ownership.tasks.scan_all_agencies",
    "ownership.tasks.scan_agency",
    "ownership.tasks.send_alert_email",
    "ownership.tasks.checkin_reminders_everywhere",
    "ownership.tasks.remind_checkins",
    "ownership.tasks.digests_everywhere",
    "ownership.tasks.send_digests",
    "ownership.tasks.send_unowned_digest",
    "ownership.tasks.owner_inactive_alerts",
    "publicdash.tasks.scheduled_publications",
    "publicdash.tasks.publish_on_schedule",
}


def test_every_task_is_registered_under_its_old_name():
    app.loader.import_default_modules()  # what a worker does: autodiscover <app>.tasks
    assert set(app.tasks) >= NAMES


def test_every_beat_entry_of_these_apps_names_a_registered_task():
    app.loader.import_default_modules()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {n for n in beat if n.startswith(("ownership.", "publicdash."))} <= NAMES


def test_alerts_does_not_import_the_tasks_module():
    """``ownership.tasks`` imports ``ownership.alerts``, never the other way round."""
    import ownership.alerts

    tree = ast.parse(Path(ownership.alerts.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "ownership.tasks" not in imported
