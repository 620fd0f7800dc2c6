"""Staff, in Chromium: change a pôle's address, then merge a pôle into another; visitors of the old addresses arrive.

Runs against an in-process live server (pytest-django's live_server) on the test database, since staff change data
here; the real fixtures are there, loaded again if an earlier transactional test emptied the database.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from poles.models import Pole
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe de test assez long"


@pytest.fixture
def staff_page(live_server, django_user_model, monkeypatch):
    """A Chromium page logged into the admin through its login form, as a staff member would.

    Its own Playwright, closed when the test ends: Playwright's sync API keeps an event loop running in this thread,
    which Django takes for an async context and where it refuses queries. The test reads the database beside the
    browser, so that check is lifted for the test's duration only, and the database is flushed after the loop ends.
    """
    from playwright.sync_api import sync_playwright

    if not Pole.objects.exists():
        call_command("load_real_data", verbosity=0)
    django_user_model.objects.create_superuser("camille", "camille@example.org", PASSWORD)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", "camille")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        yield page
        browser.close()


def visit(page, path: str):
    """Open an address as a visitor would; returns the final response and the status of the first answer."""
    response = page.goto(path)
    first = response.request
    while first.redirected_from is not None:
        first = first.redirected_from
    return response, first.response().status


def test_staff_change_a_poles_address_and_the_old_one_leads_to_the_new(staff_page, live_server):
    pole = Pole.objects.get(slug="aerospace-valley")
    staff_page.goto(f"/admin/poles/pole/{pole.pk}/change/")
    staff_page.fill("#id_slug", "aerospace-valley-occitanie")
    staff_page.click("input[name=_save]")
    expect(staff_page.locator(".messagelist .success")).to_contain_text("Aerospace Valley")

    response, first_status = visit(staff_page, "/poles/aerospace-valley/")
    assert first_status == 301
    assert response.status == 200
    assert staff_page.url == f"{live_server.url}/poles/aerospace-valley-occitanie/"
    assert staff_page.locator("h1").inner_text().startswith("Aerospace Valley")


def test_staff_merge_a_pole_and_its_old_address_leads_to_the_successor(staff_page, live_server):
    merged = Pole.objects.get(slug="pole-mer-mediterranee")
    console_errors = []
    staff_page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    staff_page.goto("/admin/poles/pole/?q=P%C3%B4le+Mer")
    staff_page.check(f"input[name=_selected_action][value='{merged.pk}']")
    staff_page.select_option("select[name=action]", "merge_into_another_pole")
    staff_page.click("button[name=index]")

    # The confirmation page: choose the successor with the admin's autocomplete, keep this year, confirm.
    expect(staff_page.locator("h1")).to_have_text("Fusionner dans un autre pôle")
    staff_page.click(".select2-selection")
    staff_page.fill(".select2-search__field", "Bretagne Atlantique")
    staff_page.click(".select2-results__option:has-text('Pôle Mer Bretagne Atlantique')")
    staff_page.click("input[value='Confirmer la fusion']")
    expect(staff_page.locator(".messagelist .success")).to_contain_text(
        "« Pôle Mer Méditerranée » a fusionné dans « Pôle Mer Bretagne Atlantique »"
    )
    assert console_errors == []  # nothing blocked by the content security policy, no script error

    response, first_status = visit(staff_page, "/poles/pole-mer-mediterranee/")
    assert first_status == 301
    assert response.status == 200
    assert staff_page.url == f"{live_server.url}/poles/pole-mer-bretagne-atlantique/"
    predecessors = staff_page.locator("dt:has-text('Pôles fondus dans celui-ci') + dd")
    assert "Pôle Mer Méditerranée" in predecessors.inner_text()
