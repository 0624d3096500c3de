"""What every part of the production smoke test (.ci/smoke.py) shares: its failure, its
step log, checks, waiting, a spare port and running a command."""

from __future__ import annotations

import shlex
import socket
import subprocess
import time

STARTED = time.monotonic()


class SmokeFailure(Exception):
    pass


def step(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def wait_for(what: str, probe, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    if result.returncode != 0:
        raise SmokeFailure(
            f"{shlex.join(command)} exited {result.returncode}:\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}"
        )
    return result
