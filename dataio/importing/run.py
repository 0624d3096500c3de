"""The import as the Data page runs it: upload → preview (a dry run, in Celery) → confirm →
import (in Celery) → result. Each step is a named action on an ``ImportRun``; the tasks
(``dataio.importing.tasks``, queued by name) take the run's id and call :func:`preview` or
:func:`execute`.

The state moves one way: uploaded → validating → previewed (no problem) or failed
(problems: the report lists them) → importing (confirmed) → done or failed. A run previewed
or failed and not confirmed within ``EXPIRE_AFTER`` becomes expired (its file deleted:
:func:`expire_unconfirmed`, a beat task). A step asked for twice (a task redelivered, a
double-clicked confirm) does nothing the second time: each starts with a conditional update
of the state.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

from dataio.importing import progress, reader
from dataio.importing.importer import Outcome, import_book, rows_in
from dataio.importing.problems import ImportRefused, Problems
from dataio.models import ImportRun, RunState
from strategyhub.background import enqueue_on_commit
from strategyhub.models import Organization, User

logger = logging.getLogger(__name__)

# How long an unconfirmed upload (every member's email in it) is kept.
EXPIRE_AFTER = dt.timedelta(hours=24)


def start(organization: Organization, user: User, upload: UploadedFile) -> ImportRun:
    """Store the uploaded file and queue its preview. Refused at once (nothing stored): an
    empty file or one over the limit (the rest is the preview's to find)."""
    size = upload.size or 0
    if size == 0:
        raise reader.refuse(gettext("The file is empty."))
    if size > reader.max_upload_bytes():
        raise reader.refuse(
            gettext("The file is %(size).1f MB; the limit is %(limit)s MB.")
            % {"size": size / 1024 / 1024, "limit": reader.max_upload_bytes() // 1024 // 1024}
        )
    name = (upload.name or "workbook").rsplit("/", 1)[-1][-150:]
    run = ImportRun(organization=organization, created_by=user, filename=name)
    run.file.save(f"{secrets.token_hex(8)}-{get_valid_filename(name)}", upload, save=False)
    run.save()
    enqueue_on_commit("dataio.preview_import", organization_id=organization.pk, run_id=run.pk)
    return run


def _claim(run: ImportRun, before: str, after: str, **fields: Any) -> bool:
    """Move the run from ``before`` to ``after``, unless another worker (or click) did
    already: on the caller's connection (a task has no open transaction; a request's claim
    commits with the request)."""
    moved = ImportRun._base_manager.filter(pk=run.pk, state=before).update(state=after, **fields)
    if moved:
        run.state = after
        for name, value in fields.items():
            setattr(run, name, value)
    return bool(moved)


def preview(run: ImportRun) -> Outcome | None:
    """The dry run: what the import would create, update and leave alone, and every problem."""
    if not _claim(run, RunState.UPLOADED, RunState.VALIDATING, phase="Reading the file"):
        return None
    outcome = _work(run, dry_run=True, user=run.created_by)
    progress.save(run, state=RunState.PREVIEWED if outcome.ok else RunState.FAILED)
    if not outcome.ok:
        remove_file(run)
    return outcome


def confirm(run: ImportRun, user: User) -> ImportRun | None:
    """The admin's go-ahead after the preview; None if the run is not ready (or was confirmed)."""
    if not _claim(
        run,
        RunState.PREVIEWED,
        RunState.IMPORTING,
        confirmed_by=user,
        confirmed_at=timezone.now(),
        phase="Waiting for a worker",
        rows_done=0,
    ):
        return None
    enqueue_on_commit("dataio.run_import", organization_id=run.organization_id, run_id=run.pk)
    return run


def execute(run: ImportRun) -> Outcome | None:
    """The import itself (after :func:`confirm`): all or nothing."""
    if run.state != RunState.IMPORTING or run.finished_at is not None:
        return None
    outcome = _work(run, dry_run=False, user=run.confirmed_by)
    progress.save(run, state=RunState.DONE if outcome.ok else RunState.FAILED)
    remove_file(run)
    return outcome


def _work(run: ImportRun, *, dry_run: bool, user: User | None) -> Outcome:
    progress.save(run, phase="Reading the file")  # a minute for the largest agency's file
    try:
        with run.file.open("rb") as handle:
            data = handle.read()
        try:
            book = reader.read(data, run.filename)
        except ImportRefused as refusal:
            outcome = Outcome(refusal.problems, dry_run=dry_run)
        else:
            with book:  # its rows are read from the file as the import goes
                progress.save(run, rows_total=rows_in(book), rows_done=0)
                outcome = import_book(
                    run.organization, user, book, dry_run=dry_run, progress=progress.reporter(run)
                )
    except Exception:
        logger.exception("Import run %s failed", run.pk)
        problems = Problems()
        problems.add("The import stopped on an unexpected error; nothing was changed.")
        _finish(run, Outcome(problems, dry_run=dry_run))
        progress.save(run, state=RunState.FAILED)
        raise
    _finish(run, outcome)
    return outcome


def _finish(run: ImportRun, outcome: Outcome) -> None:
    progress.save(
        run,
        phase="",
        rows_done=run.rows_total,
        preview=outcome.counts,
        problems=[problem.as_dict() for problem in outcome.problems],
        problem_count=len(outcome.problems),
        notices=outcome.notices,
        finished_at=None if outcome.dry_run else timezone.now(),
    )


def remove_file(run: ImportRun) -> None:
    """The uploaded file (every member's email) is kept while the run may still be
    confirmed, then deleted from the storage; the run keeps its report."""
    if run.file:
        name = run.file.name
        transaction.on_commit(lambda: run.file.storage.delete(name))


def expire_unconfirmed(now: dt.datetime | None = None) -> int:
    """Every agency's runs previewed or failed, never confirmed and uploaded more than
    ``EXPIRE_AFTER`` ago: marked expired (a conditional update, so a confirm in the same
    instant wins or loses cleanly) and their uploaded file deleted from the storage; the
    run keeps its report. How many runs expired."""
    cutoff = (now or timezone.now()) - EXPIRE_AFTER
    with scopes_disabled():
        stale = ImportRun._base_manager.filter(
            state__in=(RunState.PREVIEWED, RunState.FAILED),
            confirmed_at=None,
            created_at__lt=cutoff,
        ).order_by("pk")
        expired = 0
        for run in stale.iterator():
            name = run.file.name
            if not _claim(run, run.state, RunState.EXPIRED, file="", phase=""):
                continue  # confirmed (or expired) meanwhile
            expired += 1
            if name:
                # Deleting a name already gone (a failed preview removes its file) is no error.
                run.file.storage.delete(name)
    return expired
