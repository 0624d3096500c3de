"""User-facing text in a Django template: the words a person reads (text between tags and
the ``alt``, ``title``, ``placeholder`` and ``aria-*`` attributes) that sit outside
``{% translate %}`` / ``{% blocktranslate %}``. Used by the test that every template's text is
marked for translation (test_marked_for_translation.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A template is a sequence of Django tags, variables, comments, HTML tags and text.
TOKEN = re.compile(
    r"(?P<comment>\{#.*?#\})"
    r"|(?P<tag>\{%.*?%\})"
    r"|(?P<var>\{\{.*?\}\})"
    r"|(?P<html><!--.*?-->|<(?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{)*>)",
    re.S,
)
ATTRIBUTE = re.compile(
    r"""\s(?P<name>alt|title|placeholder|aria-label|aria-description|aria-roledescription"""
    r"""|aria-valuetext|data-confirm)=(?P<q>["'])(?P<value>.*?)(?P=q)""",
    re.S,
)
WORD = re.compile(r"[^\W\d_]{2,}")
# Names and abbreviations that stay as they are in every language.
NAMES = re.compile(r"\b(StrategyHub|OKRs?|FY|CSV|PDF|JSON|API|HTML|USWDS|KR|Q[1-4]|ID)\b")
# Blocks whose contents are not words a person reads on the page (``setvar``: a value
# handed to an allauth element, such as an id or its tags).
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim", "setvar": "endsetvar"}
SKIPPED_ELEMENTS = ("script", "style")


@dataclass
class Text:
    line: int
    text: str


def _tag_name(tag: str) -> str:
    inner = tag[2:-2].strip()
    return inner.split()[0] if inner else ""


def unmarked(source: str) -> list[Text]:
    """The words of ``source`` outside translation tags, with their line numbers."""
    found: list[Text] = []
    position = 0
    skip_until: str | None = None
    in_translation = False
    in_element: str | None = None
    run: list[tuple[int, str]] = []  # (offset, literal text) of the current text run

    def flush() -> None:
        literal = "".join(text for _, text in run)
        if (
            WORD.search(NAMES.sub(" ", literal))
            and not in_translation
            and skip_until is None
            and not in_element
        ):
            offset = run[0][0] + (len(run[0][1]) - len(run[0][1].lstrip()))
            found.append(Text(source.count("\n", 0, offset) + 1, " ".join(literal.split())))
        run.clear()

    for match in TOKEN.finditer(source):
        if match.start() > position:
            run.append((position, source[position : match.start()]))
        position = match.end()
        token = match.group(0)
        kind = match.lastgroup
        if kind == "var":
            continue  # a variable inside a sentence keeps the run going
        flush()
        if kind == "tag":
            name = _tag_name(token)
            if skip_until:
                if name == skip_until:
                    skip_until = None
                continue
            if name in SKIPPED_BLOCKS:
                skip_until = SKIPPED_BLOCKS[name]
            elif name in ("blocktranslate", "blocktrans"):
                in_translation = True
            elif name in ("endblocktranslate", "endblocktrans"):
                in_translation = False
        elif kind == "html" and skip_until is None:
            lowered = token.lower()
            if in_element:
                if lowered.startswith(f"</{in_element}"):
                    in_element = None
                continue
            for element in SKIPPED_ELEMENTS:
                if lowered.startswith(f"<{element}") and not lowered.endswith("/>"):
                    in_element = element
            for attribute in ATTRIBUTE.finditer(token):
                value = attribute.group("value")
                if re.search(r"\{%\s*(block)?trans(late)?\b", value):
                    continue  # marked
                bare = TOKEN.sub(" ", value)
                if WORD.search(NAMES.sub(" ", bare)):
                    line = source.count("\n", 0, match.start() + attribute.start()) + 1
                    found.append(Text(line, f'{attribute.group("name")}="{value}"'))
    if position < len(source):
        run.append((position, source[position:]))
    flush()
    return found
