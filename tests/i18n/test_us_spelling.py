"""US English in every user-facing string (issue 23): templates, and the string literals of
the project's Python (messages, labels, help texts, errors, emails), docstrings and comments
aside. A list of British spellings that must not come back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BRITISH = re.compile(
    r"\b("
    r"organis(e|es|ed|ing|ation|ations|ational)|colour(s|ed|ful)?|prioritis(e|es|ed|ing|ation)"
    r"|analys(e|es|ed|ing)|behaviour(s|al)?|centre(s|d)?|cancell(ed|ing)|favour(s|ed|ite)?"
    r"|honour(s|ed)?|labour|licence|catalogue(s|d)?|recognis(e|es|ed|ing)"
    r"|summaris(e|es|ed|ing)|authoris(e|es|ed|ing|ation)|finalis(e|es|ed|ing)"
    r"|customis(e|es|ed|ing)|minimis(e|es|ed|ing)|optimis(e|es|ed|ing|ation)"
    r"|utilis(e|es|ed|ing|ation)|normalis(e|es|ed|ing)|visualis(e|es|ed|ing|ation)"
    r"|initialis(e|es|ed|ing)|apologis(e|es|ed)|realis(e|es|ed|ing)|criticis(e|es|ed|ing)"
    r"|categoris(e|es|ed|ing)|standardis(e|es|ed|ing)|sanitis(e|es|ed|ing)"
    r"|travell(ed|ing)|modell(ed|ing)|labell(ed|ing)|judgement|programme(s)?|artefact(s)?"
    r"|grey|defence|whilst|amongst|neighbour(s|hood|hoods)?|e-mail(s|ed)?|enrolment"
    r"|per cent|fulfil"
    r")\b",
    re.IGNORECASE,
)
# ``aria-labelledby`` is an HTML attribute (its name is fixed by the standard).
HTML_NAMES = re.compile(r"aria-labelledby", re.IGNORECASE)
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "tests", "data", ".git", "staticfiles"}
# Written by the spreadsheet import/export work (issue 22) while this was done: its sheet
# and column names are a data contract its author settles ("Organisational unit" ->
# "Organizational unit" changes the template workbook). Take it off once they are US English.
PENDING = {"dataio"}


def _files(pattern: str) -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob(pattern)
        if not (SKIPPED_DIRS | PENDING).intersection(p.relative_to(ROOT).parts)
    )


def _template_words(source: str) -> str:
    """The template without its comments (``{# #}``, ``{% comment %}``): what people read
    and what the tags say."""
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", source, flags=re.S)
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    return HTML_NAMES.sub(" ", re.sub(r"<!--.*?-->", " ", source, flags=re.S))


def _python_strings(source: str) -> list[tuple[int, str]]:
    """Every string literal of a module except docstrings, with its line."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "path",
    [p for p in _files("*") if p.suffix in (".html", ".txt") and "templates" in p.parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_templates_use_us_spelling(path):
    found = [
        m.group(0) for m in BRITISH.finditer(_template_words(path.read_text(encoding="utf-8")))
    ]
    assert not found, f"British spelling in {path.relative_to(ROOT)}: {found}"


def test_python_strings_use_us_spelling():
    found = []
    for path in _files("*.py"):
        for line, text in _python_strings(path.read_text(encoding="utf-8")):
            for word in BRITISH.finditer(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {word.group(0)}")
    assert not found, "British spelling in Python strings:\n" + "\n".join(found)


def test_the_list_catches_british_spellings():
    text = "The Organisation's colour behaviour was cancelled; recognise it."
    assert [m.group(0) for m in BRITISH.finditer(text)] == [
        "Organisation",
        "colour",
        "behaviour",
        "cancelled",
        "recognise",
    ]
    assert not BRITISH.search('Organization color behavior canceled <p aria-labelledby="x">')
