"""Python's cyclic garbage collector, tuned for long-running web and task workers.

What the measurements showed (issue 17, docs/performance.md): a page build on the large
agency allocates tens of thousands of short-lived objects (model instances, Decimals,
template nodes), so the collector's youngest generation fills every 700 allocations and a
full collection — which walks every object the process holds, the ~300,000 of Django, the
URL resolver, templates and settings loaded at start-up included — took ~117 ms inside a
build.

Two changes, applied by ``gunicorn.conf.py`` and the Celery worker signals:

* ``freeze_startup_objects()``: after start-up (in the parent, before workers fork)
  ``gc.freeze()`` moves everything alive into a permanent generation the collector never
  walks. Full collections then only walk what requests created, and forked workers keep
  sharing the start-up pages copy-on-write (a collection writes to the objects it walks).
* ``tune_thresholds()``: the youngest generation collected every ``GEN0`` allocations
  instead of 700, so a page build triggers a handful of young collections, not hundreds;
  the older generations keep CPython's ratios. Request garbage is mostly acyclic and freed
  by reference counting, so the collector has little to find in any case.

Nothing here changes behaviour, only when memory held by reference cycles is reclaimed;
``STRATEGYHUB_GC_TUNING=0`` turns both off (for comparison runs).
"""

from __future__ import annotations

import gc
import os

GEN0 = 50_000
GEN1 = 20
GEN2 = 20


def enabled() -> bool:
    return os.environ.get("STRATEGYHUB_GC_TUNING", "1") != "0"


def freeze_startup_objects() -> None:
    """Collect once, then exclude every object alive now from future collections."""
    if not enabled():
        return
    gc.collect()
    gc.freeze()


def tune_thresholds() -> None:
    if enabled():
        gc.set_threshold(GEN0, GEN1, GEN2)
