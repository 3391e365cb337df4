"""Browser tests (acceptance item 5): Debian's Chromium driven by Playwright against the live
server, signing in through the real form as personas of both sides.

They check the language (Korean by default, the switch to English, and that the choice is
remembered), the timeline with its htmx filters, the detail pages, and that no page logs a
console error or a Content-Security-Policy violation. Full-page screenshots of each main step go
to ``test-artifacts/screenshots/<test>-<step>.png`` under the repository root.

Without /usr/bin/chromium the tests are skipped, unless PANMUN_REQUIRE_BROWSER=1 (as in CI),
where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from panmun.accounts.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the fixtures
# (and the live server sharing the test database) must not be refused for it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO_ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TIMEOUT_MS = 15_000
HANGUL = re.compile(r"[\uac00-\ud7a3]")

BASIC_AGREEMENT_KEY = "basic-agreement-1991"
BASIC_AGREEMENT_EN = (
    "Agreement on Reconciliation, Nonaggression, and Exchanges and Cooperation between the "
    "South and the North"
)
BASIC_AGREEMENT_KO_START = "남북 사이의 화해와 불가침"

# live_server implies transactional_db; conftest.py puts back what the data migrations loaded
# after each such test's flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("PANMUN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PANMUN_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser(transactional_db: Any) -> Iterator[Any]:
    """Chromium, started per test, after the database is set up and stopped before its flush.

    While Playwright's sync API runs, the main thread has a running event loop, so Django's
    thread-critical ``connections`` switch to context-local storage and hand out a fresh
    connection: the test case's set-up and tear-down must not run inside Playwright's lifetime.
    A function-scoped browser that depends on ``transactional_db`` guarantees that.
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def record(transactional_db: Any) -> None:
    """The historical record, loaded by the data migration, is in the live server's database."""
    from panmun.dialogue.models import Agreement, Provision

    agreement = Agreement.objects.get(key=BASIC_AGREEMENT_KEY)
    assert agreement.title_en == BASIC_AGREEMENT_EN
    assert agreement.title_ko.startswith(BASIC_AGREEMENT_KO_START)
    assert Provision.objects.filter(agreement=agreement).count() == 4


@dataclass
class Tab:
    """One browser context and page, with what it logged that a test must fail on."""

    page: Any
    base_url: str
    test_name: str
    label: str
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path, wait_until="load")

    def shot(self, step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{step}.png"  # <test>-<step>.png
        # caret="initial": hiding the caret (the default) leaves an empty `style` attribute on
        # every input, which htmx's settling then copies onto the inputs it swaps in: a
        # Content-Security-Policy violation the page itself never caused.
        self.page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    def on_console(self, message: Any) -> None:
        if message.type == "error":  # CSP violations are logged as console errors too
            self.errors.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_request_failed(self, request: Any) -> None:
        # A request the browser cancels because the page moved on (the favicon of a page left
        # at once) is not a failure of the server.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.url}: {request.failure}")

    def on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert not self.errors, f"[{self.label}] console errors or CSP violations:\n" + "\n".join(
            self.errors
        )


CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__panmunCsp && window.__panmunCsp(
    `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`
    + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def open_tab(
    record: None, personas: Any, live_server: Any, browser: Any, request: Any
) -> Iterator[Callable[[str], Tab]]:
    """Opens a fresh browser context (no cookies) per call. The record (with the sides), then the
    personas (which need the sides) are set up first, before the browser starts (see
    ``browser``)."""
    contexts: list[Any] = []

    def make(label: str) -> Tab:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        tab = Tab(page, live_server.url, request.node.name, label)
        page.on("console", lambda message: tab.on_console(message))
        page.on("pageerror", lambda exc: tab.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r: tab.on_request_failed(r))
        page.on("response", lambda response: tab.on_response(response))
        page.expose_function(
            "__panmunCsp", lambda text: tab.errors.append(f"CSP violation: {text}")
        )
        page.add_init_script(CSP_LISTENER)
        return tab

    yield make
    for context in contexts:
        context.close()
    # Queries the test made while Playwright runs used a connection of their own (see
    # `browser`): closed here, it does not keep PostgreSQL from dropping the test database.
    from django.db import connections

    connections.close_all()


def sign_in(tab: Tab, username: str) -> None:
    from playwright.sync_api import expect

    tab.goto("/")  # not signed in: redirected to the sign-in form
    expect(tab.page).to_have_url(re.compile(r"/login/"))
    tab.page.locator("#id_username").fill(username)
    tab.page.locator("#id_password").fill(DEMO_PASSWORD)
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator("#id_password").press("Enter")
    expect(tab.page.locator(f".who[data-user='{username}']")).to_be_visible()
    expect(tab.page.locator("a[data-nav='home']")).to_have_attribute("aria-current", "page")


def sign_out(tab: Tab) -> None:
    from playwright.sync_api import expect

    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator("header form[action$='/logout/'] button[type=submit]").click()
    expect(tab.page).to_have_url(re.compile(r"/login/"))
    expect(tab.page.locator(".who")).to_have_count(0)
    expect(tab.page.locator("#id_username")).to_be_visible()


def switch_language(tab: Tab, code: str) -> None:
    from playwright.sync_api import expect

    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(f"form.language button[data-language='{code}']").click()
    expect(tab.page.locator("html")).to_have_attribute("lang", code)
    expect(tab.page.locator(f"form.language button[data-language='{code}']")).to_have_attribute(
        "aria-pressed", "true"
    )


def assert_korean_page(tab: Tab) -> None:
    """The page speaks Korean: html lang, the pressed language button, and Korean words in the
    frame (the navigation) and the content."""
    from playwright.sync_api import expect

    # ko, or ko-KP for an officer of the North (the North's wording of Korean).
    expect(tab.page.locator("html")).to_have_attribute("lang", re.compile(r"^ko(-KP)?$"))
    expect(tab.page.locator("form.language button[data-language='ko']")).to_have_attribute(
        "aria-pressed", "true"
    )
    timeline_label = tab.page.locator("a[data-nav='timeline']").inner_text().strip()
    assert HANGUL.search(timeline_label), (
        f"nav label for the timeline is not Korean: {timeline_label!r}"
    )
    assert HANGUL.search(tab.page.locator("main h1").inner_text())


def year_filter_applied(tab: Tab, first: int, last: int) -> list[int]:
    """Wait for htmx to swap in results where every dated item lies within [first, last]."""
    tab.page.wait_for_function(
        """([first, last]) => {
          const lis = [...document.querySelectorAll('#timeline-results ol.timeline li[data-kind]')];
          return lis.length > 0 && lis.every(li => {
            const y = parseInt(li.dataset.year, 10);
            return y >= first && y <= last;
          });
        }""",
        arg=[first, last],
    )
    years = tab.page.locator("#timeline-results ol.timeline li[data-kind]").evaluate_all(
        "lis => lis.map(li => li.dataset.year)"
    )
    return [int(y) for y in years]


def test_ministry_officer_switches_to_english_and_filters_the_timeline(
    open_tab: Callable[[str], Tab],
) -> None:
    from playwright.sync_api import expect

    tab = open_tab("ministry")
    page = tab.page

    # 1. The sign-in form and the home page speak Korean by default.
    tab.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    tab.shot("01-login")
    sign_in(tab, "ministry")
    assert_korean_page(tab)
    expect(page.locator(".who")).to_contain_text("통일부")
    tab.shot("02-home-ko")

    # 2. The language switch: English page, English navigation.
    switch_language(tab, "en")
    expect(page).to_have_url(re.compile(r"/$"))  # back where the switch was pressed
    expect(page.locator("a[data-nav='timeline']")).to_have_text("Timeline")
    expect(page.locator("a[data-nav='home']")).to_have_text("Home")
    expect(page.locator(".who")).to_contain_text("Ministry of Unification")
    assert not HANGUL.search(page.locator("a[data-nav='timeline']").inner_text())
    tab.shot("03-home-en")

    # 3. The timeline through the navigation.
    with page.expect_navigation(wait_until="load"):
        page.locator("a[data-nav='timeline']").click()
    expect(page).to_have_url(re.compile(r"/dialogue/$"))
    expect(page.locator("a[data-nav='timeline']")).to_have_attribute("aria-current", "page")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    results = page.locator("#timeline-results ol.timeline li[data-kind]")
    expect(results.first).to_be_visible()
    all_years = {int(y) for y in results.evaluate_all("lis => lis.map(li => li.dataset.year)") if y}
    assert any(y < 1990 for y in all_years) and any(y > 1992 for y in all_years), all_years
    tab.shot("04-timeline-en")

    # 4. Filter 1990–1992; htmx replaces #timeline-results and pushes the URL.
    url_before = page.url
    page.evaluate("window.__panmunNoReload = true")
    page.locator("#f-year-from").fill("1990")
    page.locator("#f-year-to").fill("1992")
    with page.expect_response(
        lambda r: (
            "year_from=1990" in r.url
            and "year_to=1992" in r.url
            and r.request.headers.get("hx-request") == "true"
        )
    ) as response_info:
        page.locator("#timeline-filters button[type=submit]").click()
    assert response_info.value.status == 200
    years = year_filter_applied(tab, 1990, 1992)
    assert years and all(1990 <= y <= 1992 for y in years), years
    expect(page).not_to_have_url(url_before)
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("year_from") == ["1990"] and query.get("year_to") == ["1992"], page.url
    assert page.evaluate("window.__panmunNoReload === true"), "the page was reloaded, not swapped"
    # The chart is redrawn for the same years.
    bar_years = page.locator("#timeline-results svg.bars rect").evaluate_all(
        "rs => rs.map(r => parseInt(r.dataset.year, 10))"
    )
    assert bar_years == [1990, 1991, 1992], bar_years
    expect(page.locator("#f-year-from")).to_have_value("1990")
    agreement_link = page.locator(
        "#timeline-results li[data-kind='agreement'] a", has_text=BASIC_AGREEMENT_EN
    )
    expect(agreement_link).to_have_count(1)
    tab.shot("05-timeline-filtered")

    # 5. The Basic Agreement, in English, with its provisions.
    with page.expect_navigation(wait_until="load"):
        agreement_link.click()
    expect(page.locator("main h1")).to_have_text(BASIC_AGREEMENT_EN)
    expect(page).to_have_title(re.compile(re.escape(BASIC_AGREEMENT_EN)))
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "in_force")
    provisions = page.locator("ol.provisions li")
    expect(provisions).to_have_count(4)
    expect(provisions.first).to_have_text("Mutual respect between the two sides")
    expect(provisions.nth(3)).to_have_text(
        "Guarantee of free exchange of people between the two sides"
    )
    assert not HANGUL.search(page.locator("ol.provisions").inner_text())
    tab.shot("06-agreement-en")

    # 6. A reload keeps English (the cookie); so does a fresh page.
    page.reload(wait_until="load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(BASIC_AGREEMENT_EN)
    tab.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("a[data-nav='timeline']")).to_have_text("Timeline")
    tab.shot("07-reload-en")

    # 7. Sign out.
    sign_out(tab)
    tab.shot("08-signed-out")
    tab.assert_clean()

    # 8. The choice was saved to the profile: a fresh browser (no cookie) signs in to English.
    again = open_tab("ministry-again")
    sign_in(again, "ministry")
    expect(again.page.locator("html")).to_have_attribute("lang", "en")
    expect(again.page.locator("a[data-nav='timeline']")).to_have_text("Timeline")
    again.shot("09-fresh-browser-home-en")
    again.assert_clean()


def test_north_red_cross_officer_reads_the_families_timeline_in_korean(
    open_tab: Callable[[str], Tab],
) -> None:
    from django.utils import translation
    from playwright.sync_api import expect

    from panmun.dialogue.models import Topic

    tab = open_tab("redcross_n")
    page = tab.page

    # 1. A fresh browser: Korean by default for this user.
    sign_in(tab, "redcross_n")
    assert_korean_page(tab)
    expect(page.locator(".who")).to_contain_text("조선적십자회")
    tab.shot("01-home-ko")

    # 2. The timeline, filtered by topic with the form (htmx).
    with page.expect_navigation(wait_until="load"):
        page.locator("a[data-nav='timeline']").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko-KP")  # the North's wording
    items = page.locator("#timeline-results ol.timeline li[data-kind]")
    expect(items.first).to_be_visible()
    total = items.count()
    with page.expect_response(
        lambda r: "topic=families" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("#f-topic").select_option("families")
    page.wait_for_function(
        """() => {
          const lis = [...document.querySelectorAll('#timeline-results ol.timeline li[data-kind]')];
          return lis.length > 0 && lis.every(li => li.classList.contains('topic-families'));
        }"""
    )
    families = page.locator("#timeline-results ol.timeline li[data-kind]")
    count = families.count()
    assert 0 < count < total, (count, total)
    assert parse_qs(urlsplit(page.url).query).get("topic") == ["families"], page.url
    topic_tags = families.locator(".tag.topic").all_inner_texts()
    with translation.override("ko-kp"):  # 흩어진 가족, as the North calls them
        assert set(topic_tags) == {str(Topic.FAMILIES.label)}, topic_tags
    assert topic_tags[0] == "흩어진 가족"
    titles = families.locator("a").all_inner_texts()
    assert all(HANGUL.search(t) for t in titles), titles
    assert any("이산가족" in t for t in titles), titles
    tab.shot("02-timeline-families-ko")

    # 3. The same filter from the address bar (a bookmarked, filtered timeline).
    tab.goto("/dialogue/?topic=families")
    expect(page.locator("#f-topic")).to_have_value("families")
    expect(page.locator("#timeline-results ol.timeline li[data-kind]")).to_have_count(count)

    # 4. Open an item: the first one about dispersed families (이산가족).
    link = page.locator("#timeline-results li[data-kind] a", has_text="이산가족").first
    title = link.inner_text().strip()
    with page.expect_navigation(wait_until="load"):
        link.click()
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("html")).to_have_attribute("lang", "ko-KP")
    expect(page.locator("p.crumbs a")).to_be_visible()
    tab.shot("03-item-ko")

    # 5. The Basic Agreement under its Korean title, from a filtered timeline.
    tab.goto("/dialogue/?year_from=1991&year_to=1991")
    agreement_link = page.locator("#timeline-results li[data-kind='agreement'] a")
    expect(agreement_link).to_have_count(1)
    expect(agreement_link).to_have_text(re.compile("^" + re.escape(BASIC_AGREEMENT_KO_START)))
    with page.expect_navigation(wait_until="load"):
        agreement_link.click()
    expect(page.locator("main h1")).to_have_text(
        re.compile("^" + re.escape(BASIC_AGREEMENT_KO_START))
    )
    expect(page.locator("ol.provisions li").first).to_have_text("남북 상호 존중")
    tab.shot("04-agreement-ko")

    sign_out(tab)
    tab.assert_clean()


def test_families_officer_searches_pages_and_reads_a_story(
    open_tab: Callable[[str], Tab], personas: Any
) -> None:
    """The registry's search (htmx): the true total, the best match first, a second page that
    keeps the query, then one person's story and the link to the printable card."""
    from playwright.sync_api import expect

    from panmun.families.tests.factories import applicant

    officer = personas["redcross_s"]
    people = [
        applicant(
            officer,
            family_name="박",
            given_name="민호",
            birth_date=f"{1920 + n}-01-01",
            status=("alive", "unknown", "deceased")[n % 3],
        )
        for n in range(60)
    ]
    tab = open_tab("redcross_s")
    page = tab.page
    sign_in(tab, "redcross_s")
    tab.goto("/families/")
    with page.expect_response(
        lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("#f-q").fill("박민호")
        page.locator("#f-q").press("Enter")
    results = page.locator("#search-results table.results")
    expect(results).to_have_attribute("data-total", "60")
    expect(results.locator("caption")).to_contain_text("60명")
    expect(results.locator("tbody tr")).to_have_count(50)
    # The living first, the oldest of them first (born 1920).
    first = results.locator("tbody tr").first
    expect(first).to_have_attribute("data-person", str(people[0].pk))
    expect(first.locator("td[data-status]")).to_have_attribute("data-status", "alive")
    tab.shot("01-search-page-1")
    page.locator("nav.pager a[data-page='2']").click()
    expect(page.locator("#search-results table.results")).to_have_attribute("data-page", "2")
    expect(page.locator("#search-results tbody tr")).to_have_count(10)
    # Past the search field's 400 ms typing delay: the Enter that searched must not start a
    # second, late search that puts page 1 back under "page 2" (it did, now and then).
    page.wait_for_timeout(700)
    expect(page.locator("#search-results table.results")).to_have_attribute("data-page", "2")
    expect(page.locator("#search-results tbody tr")).to_have_count(10)
    # htmx pushes the address once the new page has settled: wait for it, do not read it once.
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("q") == ["박민호"] and query.get("page") == ["2"], page.url
    expect(page.locator("#f-q")).to_have_value("박민호")
    tab.shot("02-search-page-2")
    with page.expect_navigation(wait_until="load"):
        page.locator("#search-results tbody tr a").first.click()
    expect(page.locator("#story")).to_be_visible()
    expect(page.locator("table.story tr[data-kind='registry.applicant']")).to_have_count(1)
    expect(page.locator("a[href$='/card.pdf']")).to_be_visible()
    tab.shot("03-person-story")
    tab.assert_clean()


def test_api_docs_render_from_local_files(open_tab: Callable[[str], Tab]) -> None:
    """The interactive API docs load Swagger UI from our own static files, under our CSP."""
    from playwright.sync_api import expect

    tab = open_tab("api-docs")
    sign_in(tab, "supervisor")
    tab.goto("/api/v1/docs")
    # The server builds the OpenAPI document on its first request for it (then keeps it):
    # up to a few seconds on a loaded machine.
    expect(tab.page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(tab.page.locator(".swagger-ui")).to_contain_text("/api/v1/dialogue/timeline")
    tab.shot("01-api-docs")
    tab.assert_clean()
