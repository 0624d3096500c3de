"""The Docker build context that .dockerignore leaves: no secrets (.env), no virtualenv, no
node_modules, no local data, and everything the Dockerfile and the running app need.

There is no Docker engine here, so the context is computed by scripts/build_context.py, a
small matcher that follows Docker's rules (checked against them below).
"""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_context", ROOT / "scripts/build_context.py")
build_context = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_context)
parse, excluded, context = build_context.parse, build_context.excluded, build_context.context


RULES = parse((ROOT / ".dockerignore").read_text())


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.pyc", "a.pyc", True),
        ("*.pyc", "pkg/a.pyc", False),  # unlike .gitignore: relative to the root
        ("**/*.pyc", "pkg/sub/a.pyc", True),
        ("**/*.pyc", "a.pyc", True),  # ** is also zero directories
        ("data", "data/media/logo.png", True),  # a directory's contents go with it
        ("/data", "data/x", True),
        ("b?n/results", "bin/results/x", True),
        ("*.py[cod]", "x.pyo", True),
    ],
)
def test_the_matcher_follows_dockers_rules(pattern, path, matches):
    assert excluded(parse(pattern), path) is matches


def test_the_last_matching_line_wins():
    rules = parse(".env.*\n!.env.example\n")
    assert excluded(rules, ".env.production")
    assert not excluded(rules, ".env.example")


SECRETS_AND_LOCAL_STATE = [
    ".env",
    ".env.production",
    "strategyhub/.env",
    "deploy/.env.local",
    ".venv/bin/python",
    ".venv/lib/python3.11/site-packages/django/__init__.py",
    "node_modules/@uswds/uswds/package.json",
    "data/strategyhub.sqlite3",
    "data/media/logos/riverton.png",
    "staticfiles/staticfiles.json",
    "demo.sqlite3",
    ".git/config",
    "strategyhub/__pycache__/models.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
    "tls/server.key",
    "tests/conftest.py",
]
NEEDED = [
    ".env.example",
    "manage.py",
    "pyproject.toml",
    "gunicorn.conf.py",
    "package.json",
    "package-lock.json",
    "requirements/lock.txt",
    "requirements/build.in",
    "strategyhub/config/settings.py",
    "strategyhub/config/container_health.py",
    "templates/base.html",
    "static/css/strategyhub.css",
]


def test_a_working_tree_with_secrets_and_local_state_leaves_none_of_them(tmp_path):
    for path in SECRETS_AND_LOCAL_STATE + NEEDED:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    files = context(tmp_path, RULES)
    assert files == set(NEEDED)


def test_this_checkouts_context_has_what_the_image_needs_and_nothing_local():
    files = context(ROOT, RULES)
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, flags=re.MULTILINE)
    for sources in copied:
        for source in sources.split():
            if source != ".":
                assert source in files, f"the Dockerfile copies {source}, not in the context"
    for needed in ("manage.py", "strategyhub/config/wsgi.py", "templates/base.html"):
        assert needed in files
    top = {path.split("/", 1)[0] for path in files}
    assert not top & {".venv", "node_modules", "data", ".git", "staticfiles", "tests"}
    assert not [
        path
        for path in files
        if path.rsplit("/", 1)[-1].startswith(".env") and path != ".env.example"
    ]
    assert not [path for path in files if "__pycache__" in path or path.endswith(".sqlite3")]
