"""The tagged, accessible PDF of an edition (WeasyPrint, PDF/UA-1 variant).

* ``pdf_variant="pdf/ua-1"``: WeasyPrint writes the structure tree (headings, paragraphs,
  tables with their header cells, figures), marks the document as tagged and sets the
  PDF/UA identification; the document's ``<title>`` and ``lang`` become its title (shown
  in the window's title bar) and language; headings become the bookmarks.
* Fonts are embedded from the Debian package fonts-dejavu-core (never downloaded).
* Where WeasyPrint or its system libraries (Pango) are missing, ``unavailable()`` says what
  to install and the HTML report keeps working.

No PDF/UA validator (veraPDF, PAC) runs here: the tests check the tags and text that
matter with pypdf (docs/reports.md).
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from functools import cache
from pathlib import Path

from reports.models import Edition
from reports.render import render_document

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
INSTALL_HINT = (
    "The PDF needs WeasyPrint and the Pango library: install the Debian packages "
    "libpango-1.0-0 libpangoft2-1.0-0 and fonts-dejavu-core, then the project's dependencies."
)


@cache
def unavailable() -> str | None:
    """Why PDFs cannot be made here, or None when they can."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401 (ships no type hints)
    except (ImportError, OSError) as exc:  # OSError: a system library is missing
        return f"{INSTALL_HINT} ({exc.__class__.__name__}: {exc})"
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        return INSTALL_HINT
    return None


def _font_css() -> str:
    faces = [
        ("DejaVuSans.ttf", "normal", "normal"),
        ("DejaVuSans-Bold.ttf", "bold", "normal"),
        ("DejaVuSans-Oblique.ttf", "normal", "italic"),
        ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
    ]
    rules = [
        f'@font-face {{ font-family: "Report Sans"; src: url("{(FONT_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in faces
    ]
    rules.append(
        'body, svg text { font-family: "Report Sans", sans-serif; }'
        " @page { size: A4; margin: 2cm 1.8cm; @bottom-center { content: counter(page)"
        ' " of " counter(pages); font-size: 9pt; } }'
        " .sh-report__toc { display: none; } .sh-report__chart { width: 100%; }"
    )
    return "\n".join(rules)


SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)


def _chart_as_image(match: re.Match[str]) -> str:
    """An inline chart as an image with its alternative text: WeasyPrint tags an ``<img>``
    as a Figure with ``/Alt`` from ``alt``, which an inline ``<svg>`` does not get. Of a
    chart's two drawings (``strategyhub.ui.charts.responsive``) the page keeps the wide one."""
    svg = match.group(0)
    opening = svg[: svg.index(">")]
    if "sh-chart--narrow" in opening:
        return ""  # a chart's phone drawing: the page has the wide one
    if 'class="sh-chart' not in opening:
        return svg  # a legend's swatch, drawn inline
    found = SVG_TITLE.search(svg)
    title = html_lib.unescape(found.group(1)) if found else "Chart"
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html_lib.escape(f"{title}. The table below the chart has the same data.")
    return f'<img class="sh-report__chart" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


def render_pdf(edition: Edition) -> bytes:
    """The edition's PDF; raises RuntimeError (with ``INSTALL_HINT``) where it cannot be made."""
    problem = unavailable()
    if problem:
        raise RuntimeError(problem)
    import weasyprint

    html = SVG.sub(_chart_as_image, render_document(edition, extra_css=_font_css()))
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR))
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return bytes(pdf or b"")
