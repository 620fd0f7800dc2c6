"""The publication workflow in Chromium, as staff walk it: a draft, its preview, scheduled, public at its time (the
clock is the test's), archived; then an earlier version restored from the history."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Person
from poles.roles import EDITOR
from tests.browser.staff import clock, log_in, staff_site  # noqa: F401 (pytest fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_URL = "/intervenants/camille-essai/"


def save(page) -> None:
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    expect(page.locator(".errornote")).to_have_count(0)


def run_change_form_action(page, action: str) -> None:
    page.select_option("select[name='CHANGE_FORM-action']", action)
    page.locator("#person_form .actions button[name=index]").click()
    page.wait_for_load_state()


def test_draft_preview_schedule_publish_at_its_time_then_archive(log_in, clock):
    editor = log_in(EDITOR)
    visitor = log_in(None)

    # A draft: new items start as drafts.
    editor.goto("/admin/events/person/add/")
    expect(editor.locator("#id_status")).to_have_value("draft")
    editor.fill("#id_name", "Camille Essai")
    editor.fill("#id_sort_name", "Essai, Camille")
    editor.fill("#id_summary", "Directrice d'un pôle d'essai.")
    save(editor)
    change_url = editor.url

    # Its preview: the public address, with the « Aperçu » banner, for staff only.
    preview = editor.goto(PUBLIC_URL)
    assert preview.status == 200 and "no-store" in preview.headers["cache-control"]
    banner = editor.get_by_role("region", name="Aperçu")
    expect(banner).to_contain_text("Aperçu : cette page montre du contenu qui n'est pas public.")
    expect(banner).to_contain_text("Intervenant « Camille Essai » : brouillon")
    assert Axe().run(editor).violations_count == 0
    assert visitor.goto(PUBLIC_URL).status == 404

    # Scheduled for two hours from now: still not public, and the banner says when it will be.
    opening = timezone.localtime(clock.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    editor.goto(change_url)
    editor.select_option("#id_status", "published")
    editor.fill("#id_publish_at_0", opening.strftime("%d/%m/%Y"))
    editor.fill("#id_publish_at_1", opening.strftime("%H:%M:%S"))
    save(editor)
    assert visitor.goto(PUBLIC_URL).status == 404
    editor.goto(PUBLIC_URL)
    expect(editor.get_by_role("region", name="Aperçu")).to_contain_text(f"programmé pour le {opening.day} ")

    # Its time comes: the visitor sees it, with nothing else done; staff no longer see a preview.
    clock.travel(opening + datetime.timedelta(minutes=1))
    response = visitor.goto(PUBLIC_URL)
    assert response.status == 200
    expect(visitor.locator("h1")).to_have_text("Camille Essai")
    editor.goto(PUBLIC_URL)
    expect(editor.get_by_role("region", name="Aperçu")).to_have_count(0)

    # Archived from its change form: gone from the public site.
    editor.goto(change_url)
    run_change_form_action(editor, "archive")
    expect(editor.locator(".messagelist .success")).to_contain_text("archivé")
    assert visitor.goto(PUBLIC_URL).status == 404
    assert Person.objects.get(slug="camille-essai").status == "archived"


def test_restore_an_earlier_version_from_the_history(log_in):
    editor = log_in(EDITOR)
    visitor = log_in(None)
    editor.goto("/admin/events/person/add/")
    editor.fill("#id_name", "Camille Essai")
    editor.fill("#id_sort_name", "Essai, Camille")
    editor.fill("#id_summary", "Directrice d'un pôle d'essai.")
    editor.select_option("#id_status", "published")
    save(editor)
    editor.fill("#id_summary", "Une présentation erronée.")
    save(editor)
    visitor.goto(PUBLIC_URL)
    expect(visitor.locator(".fr-text--lead")).to_have_text("Une présentation erronée.")

    editor.get_by_role("link", name="Historique").click()
    versions = editor.locator("#change-history tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Directrice d'un pôle d'essai. → Une présentation erronée.")
    versions.nth(1).get_by_role("button", name="Restaurer cette version").click()
    editor.wait_for_load_state()

    expect(editor.locator(".messagelist .success")).to_contain_text("restaurée")
    expect(editor.locator("#id_summary")).to_have_value("Directrice d'un pôle d'essai.")
    visitor.goto(PUBLIC_URL)
    expect(visitor.locator(".fr-text--lead")).to_have_text("Directrice d'un pôle d'essai.")
