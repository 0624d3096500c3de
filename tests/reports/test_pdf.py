"""The approved edition's PDF, made by the Celery task and stored on the file storage: tagged
(PDF/UA-1 identification, marked, a structure tree with headings, tables with header cells
and figures with their alternative text), its title and language set, its fonts embedded,
its text holding the scenario's numbers, bookmarks per section. pypdf reads it; no PDF/UA
validator runs here (docs/reports.md)."""

import io
from collections import Counter

import pypdf
from django_scopes import scope

from reports import editions, tasks
from reports.models import Edition
from tests.reports.conftest import member


def structure(reader):
    kinds, alts = Counter(), []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if hasattr(node, "keys"):
            kind = node.get("/S")
            if kind:
                kinds[str(kind)] += 1
            if kind == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if node.get("/K") is not None:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def test_the_approved_editions_pdf_is_tagged_and_holds_the_numbers(q1_report, riverton):
    with scope(organization=riverton):
        edition = q1_report.editions.get()
        editions.submit(edition, None)
        editions.approve(edition, member(riverton, "admin"))
        # The task as the worker runs it (ids in; its tenant scope opened by TenantTask).
        assert tasks.render_edition_pdf.apply(
            kwargs={"organization_id": riverton.pk, "edition_id": edition.pk}
        ).get()
        stored = Edition.objects.get(pk=edition.pk)
        data = stored.pdf.read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith("Council quarterly report, Q1 FY 2026–27")
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    kinds, alts = structure(reader)
    for kind in ("/H1", "/H2", "/H3", "/H4", "/Table", "/TH", "/Caption", "/Figure"):
        assert kinds[kind] > 0, kind
    assert len(alts) == 5 and all("actual values and targets" in alt for alt in alts)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            descriptor = descriptor.get_object()
            fonts.add(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}
    text = " ".join(page.extract_text() for page in reader.pages)
    for number in ("9.0 min", "8.8 min", "464 per 100,000", "0.54"):
        assert number in text
    titles = [item.title for item in reader.outline if hasattr(item, "title")]
    assert "Summary" in " ".join(titles) or reader.outline
    # Stored once: a second run keeps the same file.
    with scope(organization=riverton):
        assert editions.store_pdf(Edition.objects.get(pk=edition.pk))
        assert Edition.objects.get(pk=edition.pk).pdf.name == stored.pdf.name
