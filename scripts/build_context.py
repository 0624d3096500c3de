"""The Docker build context that ``.dockerignore`` leaves, computed without a Docker engine.

Follows Docker's rules (moby/patternmatcher, as BuildKit applies them): patterns are relative
to the context root; ``*`` and ``?`` stop at ``/`` and ``**`` spans any number of
directories; a path is excluded when it or one of its parent directories matches; the last
matching line wins and ``!`` re-includes. Used by tests/test_dockerignore.py (what goes into
the image) and by the production smoke test (.ci/smoke.py), which lays out the application
directory as the image's ``COPY . .`` would.

``python scripts/build_context.py [ROOT]`` lists the context's files.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

Rule = tuple[bool, re.Pattern, str]


def _regex(pattern: str) -> re.Pattern:
    out, i = "^", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1 : i + 2] == "*":
                i += 1
                if pattern[i + 1 : i + 2] == "/":
                    i += 1
                out += ".*" if i + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "[":
            end = pattern.index("]", i)
            out += "[" + pattern[i + 1 : end].replace("!", "^", 1) + "]"
            i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(ch)
        i += 1
    return re.compile(out + "$")


def parse(text: str) -> list[Rule]:
    """The rules of a .dockerignore's text, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = os.path.normpath(line[1:].strip() if negated else line).lstrip("/")
        rules.append((negated, _regex(pattern), pattern))
    return rules


def excluded(rules: list[Rule], path: str) -> bool:
    """Whether ``path`` (relative, with ``/``) stays out of the context."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for negated, regex, _ in rules:
        if any(regex.match(candidate) for candidate in candidates):
            result = not negated
    return result


def context(root: Path, rules: list[Rule] | None = None) -> set[str]:
    """Every file of ``root`` that goes into the build context (paths relative, with ``/``)."""
    if rules is None:
        rules = parse((root / ".dockerignore").read_text())
    reentering = [pattern for negated, _, pattern in rules if negated]
    files = set()
    for directory, subdirectories, names in os.walk(root):
        relative = Path(directory).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        subdirectories[:] = [
            name
            for name in subdirectories
            if not excluded(rules, prefix + name)
            or any(pattern.startswith(prefix + name + "/") for pattern in reentering)
        ]
        files.update(prefix + name for name in names if not excluded(rules, prefix + name))
    return files


def copy_context(root: Path, target: Path) -> int:
    """Copy the context of ``root`` into ``target`` (as ``COPY . .``); returns the file count."""
    files = context(root)
    for path in files:
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, destination, follow_symlinks=False)
    return len(files)


if __name__ == "__main__":
    for name in sorted(context(Path(sys.argv[1] if len(sys.argv) > 1 else "."))):
        print(name)
