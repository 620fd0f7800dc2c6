"""Staff roles, in Chromium: a rédacteur writes a draft and cannot publish it; an éditeur publishes it.

Runs against an in-process live server (pytest-django's live_server) on the test database, since staff change data
here. Each member of staff logs in through the admin's login form, in a browser context of their own.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from events.models import Person
from poles.roles import ADMINISTRATOR, EDITOR, WRITER, sync_roles
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe de test assez long"


@pytest.fixture
def log_in(live_server, monkeypatch):
    """Logs a member of staff with the given role in through the admin's login form, in a browser context of their
    own (making their account unless it exists); returns the page. The visitor's page is `log_in(None)`.

    Its own Playwright, closed when the test ends: Playwright's sync API keeps an event loop running in this thread,
    where Django refuses queries unless told otherwise, and the test reads the database beside the browser.
    """
    from playwright.sync_api import sync_playwright

    sync_roles()  # the groups, even if an earlier transactional test emptied the database
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def log_in_as(role: str | None, username: str = ""):
            page = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
            if role is None:
                return page
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
                user.groups.add(Group.objects.get(name=role))
            page.goto("/admin/login/?next=/admin/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            return page

        yield log_in_as
        browser.close()


def status_choices(page) -> list[str]:
    return page.locator("#id_status option").evaluate_all("options => options.map(option => option.value)")


def test_a_writer_drafts_cannot_publish_and_an_editor_publishes(log_in):
    writer = log_in(WRITER, "rose")
    writer.goto("/admin/events/person/add/")
    assert "published" not in status_choices(writer)  # publishing is not on offer
    writer.fill("#id_name", "Dominique Essai")
    writer.fill("#id_sort_name", "Essai, Dominique")
    assert writer.input_value("#id_slug") == "dominique-essai"  # filled in from the name, as staff see it happen
    writer.select_option("#id_status", "draft")
    writer.click("input[name=_continue]")
    writer.wait_for_url("**/admin/events/person/*/change/")
    expect(writer.locator(".messagelist .success")).to_have_count(1)
    expect(writer.locator("a.deletelink")).to_have_count(0)  # no deleting either

    # Even a forged choice is refused: the form comes back with an error and the item stays a draft.
    writer.evaluate("() => document.querySelector('#id_status').add(new Option('Publié', 'published', true, true))")
    writer.click("input[name=_continue]")
    expect(writer.locator(".errornote")).to_be_visible()
    expect(writer.locator(".field-status .errorlist")).to_be_visible()  # the status is refused
    assert Person.objects.get(slug="dominique-essai").status == "draft"

    visitor = log_in(None)
    assert visitor.goto("/intervenants/dominique-essai/").status == 404

    editor = log_in(EDITOR, "yann")
    editor.goto("/admin/events/person/?q=Dominique+Essai")
    editor.get_by_role("link", name="Dominique Essai").click()
    editor.wait_for_url("**/admin/events/person/*/change/**")
    assert "published" in status_choices(editor)
    expect(editor.locator("a.deletelink")).to_have_count(1)
    editor.select_option("#id_status", "published")
    editor.click("input[name=_save]")
    editor.wait_for_url("**/admin/events/person/?**")
    expect(editor.locator(".messagelist .success")).to_have_count(1)

    response = visitor.goto("/intervenants/dominique-essai/")
    assert response.status == 200
    expect(visitor.locator("h1")).to_have_text("Dominique Essai")


def test_only_an_administrator_manages_staff_accounts(log_in):
    editor = log_in(EDITOR, "yann")
    expect(editor.get_by_role("link", name="Utilisateurs")).to_have_count(0)
    assert editor.goto("/admin/auth/user/").status == 403

    administrator = log_in(ADMINISTRATOR, "alex")
    expect(administrator.get_by_role("link", name="Utilisateurs")).to_have_count(1)
    administrator.goto("/admin/auth/user/add/")
    administrator.fill("#id_username", "nouvelle-redactrice")
    administrator.fill("#id_password1", "motdepasse")
    administrator.fill("#id_password2", "motdepasse")
    administrator.click("input[name=_save]")
    expect(administrator.locator(".errorlist")).to_contain_text("trop court")  # at least 12 characters
    administrator.fill("#id_password1", PASSWORD)
    administrator.fill("#id_password2", PASSWORD)
    administrator.click("input[name=_save]")
    administrator.wait_for_url("**/admin/auth/user/*/change/")
    administrator.check("#id_is_staff")
    administrator.select_option("#id_groups_from", label=WRITER)
    administrator.click("#id_groups_add")
    administrator.click("input[name=_save]")
    expect(administrator.locator(".messagelist .success")).to_have_count(1)

    newcomer = log_in(WRITER, "nouvelle-redactrice")  # the account the administrator made
    expect(newcomer.get_by_role("link", name="Intervenants")).to_have_count(1)
    expect(newcomer.get_by_role("link", name="Utilisateurs")).to_have_count(0)
