"""Every Celery task of the project keeps the name the beat schedule and queued messages
use, wherever its function lives: each is declared with an explicit ``name=`` and a worker
registers it under that name, and every beat entry names a registered task."""

import ast
from pathlib import Path

from django.conf import settings

from strategyhub.config.celery import app

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "strategyhub",
    "scorecards",
    "okrs",
    "ownership",
    "publicdash",
    "reports",
    "dataio",
    "api",
)


def _is_task_decorator(node: ast.expr) -> bool:
    """``@shared_task(...)`` or ``@<app>.task(...)`` (called or bare)."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):
        return target.id == "shared_task"
    return isinstance(target, ast.Attribute) and target.attr in ("task", "shared_task")


def _declared_tasks() -> dict[str, str | None]:
    """Every task function in the project's code → the ``name=`` it is declared with."""
    declared: dict[str, str | None] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for decorator in filter(_is_task_decorator, node.decorator_list):
                    keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
                    name = next((k.value.value for k in keywords if k.arg == "name"), None)
                    declared[f"{path.relative_to(ROOT)}:{node.name}"] = name
    return declared


def test_every_task_of_the_project_is_registered_under_its_explicit_name():
    app.loader.import_default_modules()  # what a worker does: autodiscover <app>.tasks
    declared = _declared_tasks()
    modules = {where.split("/")[0] for where in declared}
    assert {"okrs", "ownership", "publicdash", "strategyhub"} <= modules  # the scan sees them
    unnamed = [where for where, name in declared.items() if not name]
    assert not unnamed, f"tasks without an explicit name=: {unnamed}"
    names = set(declared.values())
    assert len(names) == len(declared), "two tasks share a name"
    assert names <= set(app.tasks), names - set(app.tasks)
    ours = {n for n in app.tasks if n.split(".")[0] in PACKAGES}
    assert ours <= names, f"registered but not found in the code: {ours - names}"


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat, "the beat schedule is empty"
    assert beat <= set(app.tasks), beat - set(app.tasks)
    assert beat <= set(_declared_tasks().values())


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
