"""The refusal every report action raises (its message says why): its own module, so the
services that raise it need not import one another."""

from __future__ import annotations


class ReportRefused(Exception):
    """A refused report action; the message says why."""
