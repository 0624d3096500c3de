"""Every staff page in a real browser at a laptop's and a phone's width (issue 23, docs/ui.md).

The pages are the GET entries of the access matrix (``tests/test_access.py``, itself checked
against the URLconf), so a new staff page is tried here as soon as it is listed there, on the
matrix's own world of objects, signed in as an admin (who may open all of them). At 1280 and
at 320 px wide: the page never scrolls sideways (the document is no wider than the window;
wide tables scroll in their own focusable region), axe-core finds nothing, and every
progress bar carries its value as text.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.test_access import STAFF_VIEWS, _url_of, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]

WIDTHS = [1280, 320]
# Not pages: files and answers to a form's post.
NOT_PAGES = {"reports:download", "dataio:export", "dataio:template"}


def _pages():
    return [v for v in STAFF_VIEWS if v.method == "get" and not v.case and v.name not in NOT_PAGES]


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it reflows)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def widest(page) -> list[str]:
    """The innermost elements reaching past the window's right edge (to say what to fix)."""
    return page.evaluate(
        """() => {
            const w = document.documentElement.clientWidth;
            const out = [...document.querySelectorAll('body *')].filter(el => {
                const r = el.getBoundingClientRect();
                if (r.right <= w + 1) return false;
                for (let p = el.parentElement; p; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX;
                    if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
                }
                return ![...el.children].some(c => c.getBoundingClientRect().right > w + 1);
            });
            return out.slice(0, 4).map(el => el.outerHTML.slice(0, 120));
        }"""
    )


def progress_without_text(page) -> list[str]:
    """Progress bars whose value is not in their text."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.sh-progress')]
            .filter(el => {
                const text = el.querySelector('.sh-progress__text');
                return !text || !text.textContent.trim()
                    || !text.textContent.includes(el.dataset.valueText || '');
            })
            .map(el => el.outerHTML.slice(0, 200))"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_staff_page_reflows_and_passes_axe(page, org_a, password, width):
    ids = build_world(org_a)
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, org_a.admin.email, password)
    problems = []
    tried = 0
    for view in _pages():
        url = _url_of(view, org_a.org.slug, ids)
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{view.name} {url}: status {response and response.status}")
            continue
        tried += 1
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{view.name} {url}: scrolls sideways by {overflow}px: {widest(page)}")
        missing = progress_without_text(page)
        if missing:
            problems.append(f"{view.name} {url}: progress without text {missing}")
        violations = Axe().run(page).response["violations"]
        if violations:
            problems.append(
                f"{view.name} {url}: axe "
                + "; ".join(f"{v['id']} ({len(v['nodes'])})" for v in violations)
            )
    assert tried >= 40, tried  # the matrix's pages, not a handful
    assert problems == [], "\n".join(problems)


# --- the demo agency: the main pages with real amounts of content -----------------------------


@pytest.fixture
def riverton():
    from strategyhub.organizations import seed_demo_organization

    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


def _demo_pages(organization) -> list[str]:
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from okrs.models import OkrObjective
    from scorecards.models import Measure, Perspective, StrategicObjective, StrategicPlan

    slug = organization.slug
    with scopes_disabled():
        plan = StrategicPlan.objects.filter(organization=organization).first()
        perspective = Perspective.objects.filter(plan=plan).first()
        objective = StrategicObjective.objects.filter(plan=plan).first()
        measure = Measure.objects.filter(objective__plan=plan).first()
        okr = OkrObjective.objects.filter(organization=organization).first()
    return [
        reverse("agency:dashboard", args=[slug]),
        reverse("okrs:my_checkins", args=[slug]),
        reverse("scorecards:plan", args=[slug]),
        reverse("scorecards:perspective", args=[slug, perspective.pk]),
        reverse("scorecards:objective", args=[slug, objective.pk]),
        reverse("scorecards:measure", args=[slug, measure.pk]),
        reverse("scorecards:focus_map", args=[slug, plan.pk]),
        reverse("scorecards:strategy_map", args=[slug, plan.pk]),
        reverse("okrs:cycle", args=[slug]),
        reverse("okrs:objective", args=[slug, okr.pk]),
        reverse("ownership:page", args=[slug]),
        reverse("ownership:workflow", args=[slug]),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_demos_main_pages_reflow(page, riverton, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, "contributor@riverton.example", "browser-demo-pass")
    problems = []
    for url in _demo_pages(riverton):
        assert page.goto(url).status == 200, url
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{url}: scrolls sideways by {overflow}px: {widest(page)}")
        missing = progress_without_text(page)
        if missing:
            problems.append(f"{url}: progress without text {missing}")
    assert problems == [], "\n".join(problems)


def test_header_menus_are_closed_and_work_without_javascript(browser, live_server, riverton):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        _sign_in(page, "admin@riverton.example", "browser-demo-pass")
        heading = page.get_by_role("heading", level=1)
        units = page.get_by_role("link", name="Units", exact=True)
        expect(units).to_be_hidden()  # closed: nothing lies over the page's heading
        page.locator(
            "summary.sh-nav__link", has_text=re.compile(r"^Agency$")
        ).click()  # <details> needs no script
        expect(units).to_be_visible()
        page.locator("summary.sh-nav__link", has_text=re.compile(r"^Agency$")).click()
        expect(units).to_be_hidden()
        expect(heading).to_be_visible()
        # On a phone without script the links stay reachable: they wrap, the page does not
        # scroll sideways, and there is no Menu button that could not work.
        page.set_viewport_size({"width": 320, "height": 900})
        page.reload()
        expect(page.get_by_role("link", name="Scorecard", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        assert sideways_overflow(page) == 0
    finally:
        context.close()


def test_on_a_phone_the_links_fold_behind_the_menu_button(page, riverton):
    page.set_viewport_size({"width": 320, "height": 900})
    _sign_in(page, "admin@riverton.example", "browser-demo-pass")
    menu = page.get_by_role("button", name="Menu")
    scorecard = page.get_by_role("link", name="Scorecard", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(scorecard).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(scorecard).to_be_visible()
    box = scorecard.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24  # WCAG 2.2 target size
    page.keyboard.press("Escape")
    expect(scorecard).to_be_hidden()
    expect(menu).to_be_focused()
