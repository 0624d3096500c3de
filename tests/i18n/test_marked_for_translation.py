"""Every template's user-facing text is inside ``{% translate %}`` or
``{% blocktranslate %}`` (docs/ui-language.md), so the Spanish catalogue can hold all of it.
Text is what a person reads: between tags, and in ``alt``, ``title``, ``placeholder`` and
``aria-*`` attributes; names such as StrategyHub and FY are not words to translate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.template_text import unmarked

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "data", "tests", "staticfiles", ".git"}

# Templates not marked yet (none now): a template written by other work may be listed
# here until its author marks it; the list only shrinks (a listed template that is fully
# marked fails the last test, so it is taken off).
NOT_YET_MARKED: set[str] = set()


def _templates() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".txt")
        and "templates" in p.parts
        and not SKIPPED_DIRS.intersection(p.relative_to(ROOT).parts)
    )


@pytest.mark.parametrize("name", [t for t in _templates() if t not in NOT_YET_MARKED])
def test_template_text_is_marked_for_translation(name):
    left = unmarked((ROOT / name).read_text(encoding="utf-8"))
    assert not left, f"{name}: text outside translation tags:\n" + "\n".join(
        f"  line {t.line}: {t.text[:100]}" for t in left
    )


def test_the_checker_finds_unmarked_text_and_accepts_marked_text():
    source = (
        '<h1>Settings</h1><p title="Help">{% translate "Saved" %}</p>'
        "{% blocktranslate with n=x.y %}{{ n }} items{% endblocktranslate %}"
        '{# a note #}{% comment %}words{% endcomment %}<script>let a = "b c";</script>'
        "<span aria-label=\"{% translate 'Close' %}\">×</span> StrategyHub {{ value }}"
    )
    assert [t.text for t in unmarked(source)] == ["Settings", 'title="Help"']


def test_the_not_yet_marked_list_only_shrinks():
    templates = set(_templates())
    done = sorted(
        name
        for name in NOT_YET_MARKED
        if name in templates and not unmarked((ROOT / name).read_text(encoding="utf-8"))
    )
    gone = sorted(NOT_YET_MARKED - templates)
    assert not done, f"fully marked now, take them off NOT_YET_MARKED: {done}"
    assert not gone, f"no longer exist, take them off NOT_YET_MARKED: {gone}"
