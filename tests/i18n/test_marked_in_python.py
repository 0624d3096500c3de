"""The Python side of "every user-facing string marked" (docs/ui-language.md): a refusal a
service raises for a person to read (``ValidationError``, ``PermissionDenied``, the apps' own
refusal exceptions) and a flash message are built from ``gettext``, never from a bare string
or an f-string. Exceptions for programmers (``ValueError``, ``TypeError``, a management
command's ``CommandError``…) and the messages of libraries' own protocols stay in English."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    "migrations",
    "tests",
    "data",
    ".git",
    "staticfiles",
    "bench",
    "scripts",
    ".ci",
    "management",  # commands speak to operators, in English
}
# Packages not checked yet (none: the import's cell and reader refusals are marked too).
PENDING: set[str] = set()
# Raised for programmers or inside a library's protocol, not shown to a person as written.
TECHNICAL = {
    "AssertionError",
    "AttributeError",
    "CommandError",
    "DoesNotExist",
    "Http404",
    "ImproperlyConfigured",
    "KeyError",
    "LookupError",
    "NotImplementedError",
    "OAuth2Error",
    "OSError",
    "RequestException",
    "RuntimeError",
    "SmokeFailure",
    "TransactionManagementError",  # Django's own, repeated word for word (db/shapes.py)
    "TypeError",
    "ValueError",
}
MESSAGE_CALLS = {"success", "error", "info", "warning", "debug"}


def _is_bare_text(node: ast.AST) -> bool:
    """A literal string, an f-string, or a sum with one of them: text nobody translated."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_bare_text(node.left) or _is_bare_text(node.right)
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def unmarked_messages(source: str) -> list[tuple[int, str]]:
    """(line, what) of each refusal raised and each flash message added with bare text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            name = _name(node.exc.func)
            if name not in TECHNICAL and _is_bare_text(node.exc.args[0]):
                found.append((node.lineno, f"raise {name}(…)"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MESSAGE_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "messages"
            and len(node.args) >= 2
            and _is_bare_text(node.args[1])
        ):
            found.append((node.lineno, f"messages.{node.func.attr}(…)"))
    return found


def _modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if not (SKIPPED_DIRS | PENDING).intersection(p.relative_to(ROOT).parts)
    )


def _found(check) -> list[str]:
    """``path:line: what`` of each place ``check`` (source → (line, what) pairs) finds in the
    project's Python."""
    return [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        for line, what in check(path.read_text(encoding="utf-8"))
    ]


def test_refusals_and_flash_messages_go_through_gettext():
    found = _found(unmarked_messages)
    assert not found, "Bare text shown to people (wrap it in gettext):\n" + "\n".join(found)


def test_the_check_finds_bare_text_and_accepts_gettext():
    source = (
        "def f(x):\n"
        '    raise Refused(f"{x} is taken.")\n'
        "def g(x):\n"
        '    raise Refused(gettext("%(x)s is taken.") % {"x": x})\n'
        "def h(request, x):\n"
        '    messages.success(request, "Saved " + x)\n'
        '    messages.success(request, gettext("Saved."))\n'
        "def i():\n"
        '    raise ValueError("for programmers")\n'
    )
    assert unmarked_messages(source) == [(2, "raise Refused(…)"), (6, "messages.success(…)")]


TRANSLATING = {
    "gettext",
    "_",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}


def unread_by_makemessages(source: str) -> list[tuple[int, str]]:
    """(line, why) of each ``gettext``-family call whose words ``makemessages`` never sees:
    a call inside an f-string (xgettext reads the f-string as one literal), or a call of a
    variable in a module that marks no words with ``gettext_noop`` (the words are then
    marked nowhere). The words stayed English in every language (issue 17's renderers had
    eight such calls)."""
    tree = ast.parse(source)
    in_fstrings = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for inner in ast.walk(node)
    }
    marks_words = "gettext_noop" in source
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in TRANSLATING
        ):
            continue
        if id(node) in in_fstrings:
            found.append((node.lineno, "gettext in an f-string"))
        elif node.args and not marks_words:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                found.append((node.lineno, f"gettext of {ast.unparse(first)}"))
    return sorted(found)


def test_every_translated_word_is_one_makemessages_reads():
    found = _found(unread_by_makemessages)
    assert not found, "Words makemessages cannot see (look them up first):\n" + "\n".join(found)


def test_the_check_finds_calls_makemessages_cannot_read():
    source = (
        "def f(word):\n"
        "    a = f'<b>{gettext(\"Hidden\")}</b>'\n"
        "    b = gettext(word)\n"
        "    seen = gettext('Seen')\n"
        "    c = f'<b>{seen}</b>'\n"
    )
    assert unread_by_makemessages(source) == [
        (2, "gettext in an f-string"),
        (3, "gettext of word"),
    ]
    marked = "WORD = gettext_noop('Marked')\ndef g():\n    return gettext(WORD)\n"
    assert unread_by_makemessages(marked) == []
