"""The lock files (requirements/lock.txt, requirements/dev-lock.txt, made by `make lock`) hold
every pin of pyproject.toml at the same version, each with its hashes: a pin changed in
pyproject.toml without `make lock` fails here, not in a hash-checked install later."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;]+)")
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml pins every dependency exactly (==): {requirement!r}"
        pins[_name(match.group(1))] = match.group(2)
    return pins


def _lock(path: Path) -> dict[str, str]:
    """Name → version of a lock file, checking that each entry carries its hashes."""
    entries: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = LOCKED.match(line)
        if match:
            entries[_name(match.group(1))] = match.group(2)
            # The hashes follow on continuation lines.
            assert line.rstrip().endswith("\\"), f"{path.name}: {match.group(1)} has no hashes"
    return entries


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
RUNTIME = _pins(PYPROJECT["project"]["dependencies"])
DEV = _pins(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.mark.parametrize(
    ("lock_file", "pins"),
    [("lock.txt", RUNTIME), ("dev-lock.txt", {**RUNTIME, **DEV})],
)
def test_the_lock_holds_every_pin_of_pyproject(lock_file, pins):
    locked = _lock(ROOT / "requirements" / lock_file)
    stale = {
        name: (version, locked.get(name, "missing"))
        for name, version in pins.items()
        if locked.get(name) != version
    }
    assert not stale, (
        f"requirements/{lock_file} is stale (pyproject pin, locked): {stale}; run `make lock`"
    )


def test_the_runtime_lock_has_no_development_tool():
    locked = _lock(ROOT / "requirements" / "lock.txt")
    assert not (set(DEV) - set(RUNTIME)) & set(locked), "dev-only packages in the runtime lock"
    assert "setuptools" in locked  # the build backend, for `pip install --no-deps -e .`


def test_every_lock_entry_is_hash_checked():
    for lock_file in ("lock.txt", "dev-lock.txt"):
        text = (ROOT / "requirements" / lock_file).read_text()
        entries = [line for line in text.splitlines() if LOCKED.match(line)]
        assert len(entries) > 20
        assert text.count("--hash=sha256:") >= len(entries)
