"""Charts in a real browser at a laptop's and a phone's width (issue 23, item 6): in each
chart box exactly one drawing shows, and every label in it renders at 12 px or more (the
drawing's font size times its scale); the legend shows; axe-core finds nothing."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from okrs.models import KeyResult
from publicdash.models import Publication
from scorecards.models import Measure
from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Average response time to serious incidents"

DRAWINGS = """() => [...document.querySelectorAll('.sh-chart-box')].map(box => {
  const shown = [...box.querySelectorAll('svg.sh-chart')].filter(
    svg => getComputedStyle(svg).display !== 'none');
  return shown.map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(
      t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {cls: svg.getAttribute('class'), smallest: Math.min(...sizes), texts: sizes.length};
  });
})"""


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_charts_show_one_readable_drawing_at_1280_and_320(page):
    seed_demo_organization(password="browser-demo-pass")
    with scopes_disabled():
        measure = Measure.objects.get(name=NAME)
        kr = KeyResult.objects.filter(kind="metric", measure=measure).first()
        document = Publication.objects.latest("version").document
    public_id = next(
        m["id"]
        for p in document["plan"]["perspectives"]
        for o in p["objectives"]
        for m in o["measures"]
        if m["name"] == NAME
    )
    _sign_in(page, "viewer@riverton.example", "browser-demo-pass")
    urls = [
        f"/o/riverton/plan/measures/{measure.pk}/",
        f"/o/riverton/okrs/key-results/{kr.pk}/",
        f"/p/riverton/measures/{public_id}/",
    ]
    for width, expected in ((1280, "sh-chart--wide"), (320, "sh-chart--narrow")):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            boxes = page.evaluate(DRAWINGS)
            assert len(boxes) == 1, (url, boxes)
            (shown,) = boxes[0]
            assert expected in shown["cls"], (url, width, shown)
            assert shown["texts"] and shown["smallest"] >= 12, (url, width, shown)
            expect(page.locator(".sh-legend .sh-legend__swatch").first).to_be_visible()
            if width == 320:
                results = Axe().run(page)
                assert results.response["violations"] == [], (url, results.generate_report())
