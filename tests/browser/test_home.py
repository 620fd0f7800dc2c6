import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def test_the_home_page_renders_with_the_dsfr_and_passes_axe(page, site_url):
    response = page.goto(site_url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1
    # The DSFR stylesheet really applies (Marianne font), which fails when integrity hashes or CSP block it.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in font
    assert page.console_errors == []

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_visitor_can_search_from_home_with_the_keyboard(page, site_url):
    page.goto(site_url + "/")
    page.keyboard.press("Tab")  # first stop: the skip links
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#content"
    page.fill("#home-search-input", "Orpheme")
    page.keyboard.press("Enter")
    page.wait_for_url("**/poles/?q=Orpheme")
    assert page.get_by_role("link", name="Eurobiomed").count() == 1


def test_the_dsfr_language_selector_switches_to_the_same_page_in_english_and_back(page, site_url):
    page.goto(site_url + "/poles/?region=occitanie")
    page.get_by_role("button", name="FR", exact=True).click()  # the DSFR selector opens its menu (JavaScript)
    page.get_by_role("link", name="EN - English", exact=True).click()
    page.wait_for_url("**/en/poles/?region=occitanie")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "France's competitiveness clusters"
    assert page.console_errors == []
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_role("link", name="FR - Français", exact=True).click()
    page.wait_for_url("**/poles/?region=occitanie")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_the_english_home_page_reads_in_english(page, site_url):
    response = page.goto(site_url + "/en/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "France's competitiveness clusters"
    assert page.title() == "French competitiveness clusters — the reference site"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
