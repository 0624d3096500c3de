"""The mixed workload of ``make bench``: eight signed-in members of the large agency in a
role mix read the main staff pages while owners check in, for a fixed time a phase.

- **Viewers**: admin, editor, two viewers, four contributors (each owns key results in the
  running quarter, so their My check-ins page is their own), each over the pages of its
  role. One process each, so the client's interpreter lock does not cap what is measured.
- **Writers**: one process posting real check-ins (the htmx form POST of ``run.py``) at 0,
  0.3 and 1 a second, round the four contributors' key results, each as its owner.
- **Forms**: *stress* (viewers loop without pause: views served a second) and *paced* (10
  views a second in all, each viewer 1.25 a second on a fixed, open-loop schedule: a late
  request does not move the next one; a view's time counts from when it was due).
- **Floor**: hello-world under ``wrk -t2 -c8`` for the same time, the same concurrency.

The share of views that were built rather than served from the page cache comes from the
``X-Page-Build`` header (benchmark mode only); a page without it counts as built.

Every phase lasts ``BENCH_MIXED_SECONDS`` (default 15), load goes to loopback only, and every
process started here is stopped before ``run()`` returns, also on an error or Ctrl-C.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from queue import Empty

from common import PORT, SESSION_FOR, SLUG, checkin_post, csrf_for, manage, request

SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "15"))
RATES = (0.0, 0.3, 1.0)  # check-ins a second
PACED_VIEWS = 10.0  # views a second in all, paced form
TYPICAL = "Plan overview"  # the page in the per-rate rows
BARRIER_TIMEOUT = 120  # warm-up of every viewer must end within this
MISSED = "missed"  # the status of a view or check-in due in a phase and not sent before its end

FACTS = (
    SESSION_FOR
    + f"""
import json
from django.db.models import Count, Q
from django_scopes import scope
from strategyhub.models import Membership, Organization, User
from okrs.models import KeyResult
from scorecards.models import Measure, StrategicPlan
org = Organization.objects.get(slug={SLUG!r})
with scope(organization=org):
    today = org.today()
    plan = StrategicPlan.objects.get(status="active")
    perspectives = list(plan.perspectives.order_by("pk").values_list("pk", flat=True))
    measures = list(Measure.objects.filter(objective__plan=plan, values__isnull=False)
                    .order_by("pk").values_list("pk", flat=True).distinct()[:20])
    active = Membership.objects.filter(organization=org, is_active=True)
    running = KeyResult.objects.filter(objective__cycle__start__lte=today,
                                       objective__cycle__end__gte=today, archived_at=None)
    # Contributors owning a running result that feeds a measure (a check-in rolls up into
    # it, and it is their measure page); those with most results feeding a calculated one.
    feeding = running.filter(measure__isnull=False)
    contributor_ids = active.filter(role="contributor").values_list("user_id", flat=True)
    ranked = (feeding.filter(owner_id__in=contributor_ids).values("owner")
              .annotate(n=Count("pk"), calc=Count("pk", filter=Q(measure__value_source="calculated")))
              .order_by("-calc", "-n", "owner")[:4])
    contributors = []
    for row in ranked:
        user = User.objects.get(pk=row["owner"])
        kr = (feeding.filter(owner=user, measure__value_source="calculated").order_by("pk").first()
              or feeding.filter(owner=user).order_by("pk").first())
        contributors.append({{"user": user, "key_result": kr.pk, "measure": kr.measure_id,
                              "owned": running.filter(owner=user).count()}})
    def member(role, skip=()):
        ids = active.filter(role=role).exclude(user_id__in=skip).order_by("user_id")
        return User.objects.get(pk=ids.values_list("user_id", flat=True)[0])
    admin = User.objects.get(email="admin@{SLUG}.example")
    editor = User.objects.get(email="editor@{SLUG}.example")
    viewer1 = User.objects.get(email="viewer@{SLUG}.example")
    viewer2 = member("viewer", skip=[viewer1.pk])
    people = [("admin", "admin", admin), ("editor", "editor", editor),
              ("viewer 1", "viewer", viewer1), ("viewer 2", "viewer", viewer2)]
    people += [(f"contributor {{i + 1}}", "contributor", c["user"]) for i, c in enumerate(contributors)]
    out = []
    for i, (name, role, user) in enumerate(people):
        entry = {{"name": name, "role": role, "session": session_for(user),
                  "perspective": perspectives[i % len(perspectives)],
                  "measure": measures[i % len(measures)]}}
        if role == "contributor":
            c = contributors[i - 4]
            entry.update(measure=c["measure"], key_result=c["key_result"], owned=c["owned"])
        out.append(entry)
    print(json.dumps({{"viewers": out, "plan": plan.pk, "today": today.isoformat()}}))
"""
)


def _pages(viewer: dict, plan: int) -> list[tuple[str, str]]:
    base = f"/o/{SLUG}"
    page = {
        "Plan overview": f"{base}/plan/",
        "Perspective dashboard": f"{base}/plan/perspectives/{viewer['perspective']}/",
        "Measure page": f"{base}/plan/measures/{viewer['measure']}/",
        "Strategy map": f"{base}/plan/plans/{plan}/map/",
        "Cycle overview": f"{base}/okrs/",
        "My check-ins": f"{base}/okrs/check-ins/",
        "Ownership page": f"{base}/ownership/",
    }
    names = {
        "contributor": ["My check-ins", "Cycle overview", "Measure page", "Plan overview"],
        "viewer": [
            "Plan overview",
            "Perspective dashboard",
            "Strategy map",
            "Measure page",
            "Cycle overview",
        ],
    }.get(viewer["role"], list(page))
    return [(name, page[name]) for name in names]


def prepare(environment) -> dict:
    """The eight viewers (sessions, role, pages) and the writers (the contributors)."""
    facts = json.loads(manage(environment, "shell", "--no-imports", "-c", FACTS))
    for viewer in facts["viewers"]:
        viewer["pages"] = _pages(viewer, facts["plan"])
    if len(facts["viewers"]) != 8:
        raise SystemExit(f"mixed workload: {len(facts['viewers'])} viewers found, not 8")
    facts["writers"] = [v for v in facts["viewers"] if v["role"] == "contributor"]
    return facts


# --- the load generators (each in its own process) -----------------------------------------


def _quiet() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the generators itself, with
    # SIGTERM, whose handler (inherited from run.py) is reset to the default: exit at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _viewer(index, viewer, form, seconds, interval, offset, barrier, queue) -> None:
    _quiet()
    pages = viewer["pages"]
    try:
        for _, path in pages:  # warm-up: every page once, so each phase starts with them cached
            request("GET", path, viewer["session"])
        barrier.wait(BARRIER_TIMEOUT)
    except Exception as error:
        barrier.abort()  # the others stop waiting at once
        queue.put(("viewer", index, f"warm-up failed: {error!r}"))
        return
    start = time.monotonic()
    end = start + seconds
    records, k = [], 0
    while True:
        name, path = pages[(k + index) % len(pages)]
        k += 1
        if form == "paced":
            due = start + offset + (k - 1) * interval
            if due >= end:
                break
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            elif time.monotonic() >= end:
                # Due in the phase, not yet sent when it ended (the server was behind):
                # not sent at all, so the phase stays bounded; it counts as not served.
                records.append((name, MISSED, None, None, None, False))
                continue
        else:
            due = time.monotonic()
            if due >= end:
                break
        sent = time.monotonic()
        try:
            status, *_, build = request("GET", path, viewer["session"])
        except OSError as error:
            status, build = type(error).__name__, None
        done = time.monotonic()
        # page, status, page build, ms late when sent, ms to answer, answered in the phase
        records.append(
            (name, status, build, (sent - due) * 1000, (done - sent) * 1000, done <= end)
        )
    queue.put(("viewer", index, records))


def _writer(writers, rate, today, seconds, barrier, queue) -> None:
    """Check-ins on a fixed schedule, each in its own thread: the owners are different
    people, so one's slow answer does not hold back the next one's check-in."""
    _quiet()
    try:
        barrier.wait(BARRIER_TIMEOUT)
    except Exception as error:
        queue.put(("writer", 0, f"start failed: {error!r}"))
        return
    start = time.monotonic()
    records, threads = [], []

    def post(writer, value):
        token, cookie = writer["csrf"]
        try:
            status, elapsed, *_ = checkin_post(
                writer["session"], token, cookie, writer["key_result"], today, value
            )
        except OSError as error:
            status, elapsed = type(error).__name__, 0.0
        records.append((writer["name"], status, elapsed * 1000))  # list.append is atomic

    k = 0
    while rate > 0 and (due := start + (k + 0.5) / rate) < start + seconds:
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        thread = threading.Thread(target=post, args=(writers[k % len(writers)], 200 + k))
        thread.start()
        threads.append(thread)
        k += 1
    for thread in threads:
        thread.join(35)  # each request times out after 30 s
    queue.put(("writer", 0, list(records)))


def _phase(facts, form, rate) -> dict:
    """One phase: the eight viewers and the writer for ``SECONDS``; their records."""
    context = multiprocessing.get_context("fork")
    viewers = facts["viewers"]
    barrier = context.Barrier(len(viewers) + 2)
    queue = context.Queue()
    interval = len(viewers) / PACED_VIEWS
    processes = [
        context.Process(
            target=_viewer,
            args=(i, v, form, SECONDS, interval, i * interval / len(viewers), barrier, queue),
            daemon=True,
        )
        for i, v in enumerate(viewers)
    ]
    processes.append(
        context.Process(
            target=_writer,
            args=(facts["writers"], rate, facts["today"], SECONDS, barrier, queue),
            daemon=True,
        )
    )
    results = []
    try:
        for process in processes:
            process.start()
        try:
            barrier.wait(BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            time.sleep(1)  # the generator that broke it says why
            while not queue.empty():
                results.append(queue.get())
            raise SystemExit(
                f"mixed workload ({form}, {rate}/s) did not start: {results}"
            ) from None
        deadline = time.monotonic() + SECONDS + 60
        while len(results) < len(processes):
            try:
                results.append(queue.get(timeout=max(1, deadline - time.monotonic())))
            except Empty:
                raise SystemExit(f"mixed workload ({form}, {rate}/s): a generator hung") from None
        for process in processes:  # each has sent its records: it is about to exit
            process.join(10)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
    failed = [r for r in results if isinstance(r[2], str)]
    if failed:
        raise SystemExit(f"mixed workload ({form}, {rate}/s): {failed}")
    views = [record for kind, _, records in results if kind == "viewer" for record in records]
    posts = [record for kind, _, records in results if kind == "writer" for record in records]
    return _summarise(form, rate, views, posts)


# --- summaries --------------------------------------------------------------------------


def _pct(values, q) -> float | None:
    """Nearest-rank percentile (p95 of 20 values is the 19th); ``None`` when there is no
    value or the rank falls on a view that was never served."""
    if not values:
        return None
    ordered = sorted(values)
    value = ordered[max(0, math.ceil(q * len(ordered)) - 1)]
    return None if math.isinf(value) else round(value, 1)


def _times(records, form) -> list[float]:
    """Answered views' times and, paced, a missed view as infinitely late. Paced: from when
    the view was due (open loop); stress: from when it was sent."""
    return [
        math.inf if status == MISSED else late + took if form == "paced" else took
        for _, status, _, late, took, _ in records
        if status in (200, MISSED)
    ]


def _cold_share(records) -> float | None:
    ok = [r for r in records if r[1] == 200]
    return round(sum(r[2] != "cached" for r in ok) / len(ok), 3) if ok else None


def _summarise(form, rate, views, posts) -> dict:
    ok = [r for r in views if r[1] == 200]
    errors: dict[str, int] = {}
    for record in views:
        if record[1] not in (200, MISSED):
            errors[str(record[1])] = errors.get(str(record[1]), 0) + 1
    pages = {}
    for name in dict.fromkeys(r[0] for r in views):
        mine = [r for r in views if r[0] == name]
        times = _times(mine, form)
        answered = [r for r in mine if r[1] == 200]
        pages[name] = {
            "views": len(answered),
            "missed": sum(r[1] == MISSED for r in mine),
            "p50_ms": _pct(times, 0.5),
            "p95_ms": _pct(times, 0.95),
            "answer_p50_ms": _pct([r[4] for r in answered], 0.5),
            "cold_share": _cold_share(answered),
        }
    times = _times(views, form)
    post_times = [took for _, status, took in posts if status == 200]
    return {
        "form": form,
        "checkins_per_s": rate,
        "seconds": SECONDS,
        "views": len(ok),
        "missed": sum(r[1] == MISSED for r in views),
        "served_in_time": sum(r[5] for r in ok),
        "views_per_s": round(sum(r[5] for r in ok) / SECONDS, 1),
        "errors": errors,
        "cold_share": _cold_share(views),
        "p50_ms": _pct(times, 0.5),
        "p95_ms": _pct(times, 0.95),
        "late_p95_ms": _pct([r[3] for r in ok], 0.95),
        "pages": pages,
        "checkins": len(post_times),
        "checkins_missed": sum(status == MISSED for _, status, _ in posts),
        "checkin_errors": [status for _, status, _ in posts if status not in (200, MISSED)],
        "checkin_median_ms": round(statistics.median(post_times), 1) if post_times else None,
        "checkin_max_ms": round(max(post_times), 1) if post_times else None,
    }


def hello_floor() -> float:
    """Hello-world requests a second at the viewers' concurrency (8), for as long."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{max(1, round(SECONDS))}s",
            f"http://127.0.0.1:{PORT}/bench/hello",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def run(facts) -> dict:
    """Both forms at every rate, and the hello floor. Bounded: 7 phases of ``SECONDS``."""
    for writer in facts["writers"]:
        writer["csrf"] = csrf_for(writer["session"])
    started = time.monotonic()
    result = {"seconds": SECONDS, "hello_rps_c8": hello_floor(), "phases": []}
    for form in ("stress", "paced"):
        for rate in RATES:
            phase = _phase(facts, form, rate)
            result["phases"].append(phase)
            brief = {
                k: phase[k]
                for k in ("form", "checkins_per_s", "views_per_s", "cold_share", "errors")
            }
            print(f"mixed: {brief}", flush=True, file=sys.stderr)
    result["took_seconds"] = round(time.monotonic() - started, 1)
    result["viewers"] = [
        {"name": v["name"], "role": v["role"], "pages": [name for name, _ in v["pages"]]}
        for v in facts["viewers"]
    ]
    return result


# --- report -----------------------------------------------------------------------------


def _share(share):
    return "—" if share is None else f"{share:.0%}"


def _rank(order, name):
    return order.index(name) if name in order else len(order)


def _ms(value, missed=0):
    if value is None:
        return "not served" if missed else "—"
    return f"{value}"


def report(mixed, cold_medians, budgets) -> tuple[list[str], list[tuple[str, bool, str]]]:
    """Markdown lines and the budget checks (name, ok, what was measured)."""
    hello = mixed["hello_rps_c8"]
    lines, checks = [], []
    for form in ("stress", "paced"):
        paced = form == "paced"
        title = f"Mixed, {form}" + (f" ({PACED_VIEWS:g} views/s offered)" if paced else "")
        extra = " sent late p95 ms | not sent (server behind) |" if paced else ""
        lines += [
            f"| {title}, {mixed['seconds']:g} s a rate | views/s | % of hello c8 | errors | cold share "
            f"| p50 ms | p95 ms | {TYPICAL} p50 / p95 ms |{extra} check-ins (POST median ms) |",
            "|---|---:|---:|---|---:|---:|---:|---:|" + ("---:|---:|" if paced else "") + "---|",
        ]
        for p in (p for p in mixed["phases"] if p["form"] == form):
            typical = p["pages"].get(TYPICAL, {})
            errors = ", ".join(f"{n}× {s}" for s, n in p["errors"].items()) or "none"
            if p["checkin_errors"]:
                errors += f"; check-in errors {p['checkin_errors']}"
            late = f" {p['late_p95_ms']} | {p['missed']} |" if paced else ""
            checkins = f"{p['checkins']} ({p['checkin_median_ms']})"
            if p["checkins_missed"]:
                checkins += f", {p['checkins_missed']} not sent"
            lines.append(
                f"| {p['checkins_per_s']:g} check-ins/s | {p['views_per_s']} | {p['views_per_s'] / hello:.1%} "
                f"| {errors} | {_share(p['cold_share'])} | {_ms(p['p50_ms'], p['missed'])} | {_ms(p['p95_ms'], p['missed'])} "
                f"| {_ms(typical.get('p50_ms'), typical.get('missed'))} / {_ms(typical.get('p95_ms'), typical.get('missed'))} "
                f"|{late} {checkins} |"
            )
        lines.append("")
    failed = [
        f"{p['form']} at {p['checkins_per_s']:g}/s: views {p['errors'] or 'none'}, check-ins {p['checkin_errors'] or 'none'}"
        for p in mixed["phases"]
        if p["errors"] or p["checkin_errors"]
    ]
    if failed:
        lines += ["**This run had errors** (non-200 answers): " + "; ".join(failed) + ".", ""]
    lines += [
        f"Hello world at the same concurrency (`wrk -t2 -c8`, {mixed['seconds']:g} s): **{hello:.0f} requests/s**.",
        "",
    ]
    stress = next(
        p for p in mixed["phases"] if p["form"] == "stress" and p["checkins_per_s"] == 1.0
    )
    share = stress["views_per_s"] / hello if hello else 0
    clean = not stress["errors"] and not stress["checkin_errors"]
    checks.append(
        (
            f"Stress at 1 check-in/s: views served ≥ {budgets['stress_share']:.0%} of hello at c8",
            share >= budgets["stress_share"] and clean,
            f"{stress['views_per_s']} views/s = {share:.1%} of {hello:.0f}"
            + ("" if clean else " (with errors)"),
        )
    )
    paced = next(p for p in mixed["phases"] if p["form"] == "paced" and p["checkins_per_s"] == 1.0)
    lines += [
        "| Paced at 1 check-in/s, per page | views (not sent) | cold share | p50 ms | p95 ms | cold build ms (alone) | p95 ÷ cold | budget | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---|:-:|",
    ]
    measured = []
    order = list(cold_medians)
    for name, page in sorted(paced["pages"].items(), key=lambda item: _rank(order, item[0])):
        cold = cold_medians.get(name)
        ratio = page["p95_ms"] / cold if cold and page["p95_ms"] is not None else None
        ok = ratio is not None and ratio <= budgets["paced_p95_vs_cold"]
        measured.append((name, ok, "not served" if ratio is None else f"{ratio:.2f}×"))
        lines.append(
            f"| {name} | {page['views']} ({page['missed']}) | {_share(page['cold_share'])} "
            f"| {_ms(page['p50_ms'], page['missed'])} | {_ms(page['p95_ms'], page['missed'])} | {cold} "
            f"| {'—' if ratio is None else f'{ratio:.2f}'} | ≤ {budgets['paced_p95_vs_cold']:g}× cold | {'✅' if ok else '❌'} |"
        )
    lines.append("")
    errors_note = "" if not paced["errors"] else f"; errors {paced['errors']}"
    checks.append(
        (
            f"Paced at 1 check-in/s: every staff page's p95 ≤ {budgets['paced_p95_vs_cold']:g}× its cold build",
            all(ok for _, ok, _ in measured) and not paced["errors"],
            ", ".join(f"{n} {what}" for n, _, what in measured) + errors_note,
        )
    )
    return lines, checks
