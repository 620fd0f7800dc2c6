"""Staff, in Chromium: import a pôle's member list — a file with a bad row is refused, then a good one goes in.

Runs against an in-process live server (pytest-django's live_server) on the test database, since staff change data
here. live_server needs a transactional database, which Django empties after each test: the real fixtures are loaded
again before a test that finds them gone, and after the last test of this module for the tests that follow.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from poles.models import Membership, Organisation, Pole
from poles.validators import luhn_is_valid
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un mot de passe de test assez long"


def siren(prefix: str) -> str:
    return next(prefix + str(key) for key in range(10) if luhn_is_valid(prefix + str(key)))


ACME, BETA = siren("73282932"), siren("55210055")
BAD_SIREN = ACME[:8] + str((int(ACME[8]) + 1) % 10)


def load_real_data() -> None:
    if connection.vendor == "sqlite":
        from events.models import FTS_TABLE

        with connection.cursor() as cursor:  # the flush empties the tables Django knows, not the FTS5 index
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    call_command("load_real_data", verbosity=0)


@pytest.fixture(scope="module")
def _real_data_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        load_real_data()


@pytest.fixture
def staff_page(_real_data_afterwards, live_server, django_user_model, monkeypatch):
    """A Chromium page logged into the admin through its login form.

    Its own Playwright, closed when the test ends: Playwright's sync API runs an event loop in this thread, where
    Django refuses queries unless told otherwise; the test reads the database beside the browser.
    """
    from playwright.sync_api import sync_playwright

    if not Pole.objects.exists():
        load_real_data()
    django_user_model.objects.create_superuser("dominique", "dominique@example.org", PASSWORD)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", "dominique")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        yield page
        browser.close()


def upload(page, name: str, content: bytes) -> None:
    page.set_input_files("#id_file", {"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Voir l'aperçu de l'import").click()
    page.wait_for_url("**/admin/poles/membership/import/*/")


def test_staff_import_a_member_list_after_a_refused_file(staff_page):
    page = staff_page
    pole = Pole.objects.get(slug="aerospace-valley")
    organisations_before = Organisation.objects.count()

    # From the pôle's admin page, the import form opens with the pôle already chosen.
    page.goto(f"/admin/poles/pole/{pole.pk}/change/")
    page.get_by_role("link", name="Importer la liste des membres").click()
    assert page.locator("#id_pole").input_value() == str(pole.pk)
    page.fill("#id_year", "2024")

    bad = f"nom;siren;taille\r\nAcmé Robotique;{ACME};PME\r\nBêta Composites;{BAD_SIREN};XXL\r\n"
    upload(page, "membres-2024.csv", bad.encode("utf-8"))
    invalid = page.locator("#rows-invalid")
    assert "clé de contrôle de Luhn" in invalid.inner_text()
    assert "taille « XXL » inconnue" in invalid.inner_text()
    assert "rien ne peut être importé" in page.locator("#import-refused").inner_text()
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0
    assert Organisation.objects.count() == organisations_before
    assert not Membership.objects.filter(pole=pole).exists()

    # The corrected file, as Excel writes it on Windows: Windows-1252 with commas.
    page.get_by_role("link", name="déposez-le de nouveau").click()
    page.fill("#id_year", "2024")
    good = f"Nom,SIREN,Taille,Ville\r\nAcmé Robotique,{ACME},PME,Toulouse\r\nBêta Composites,{BETA},GE,Blagnac\r\n"
    upload(page, "membres-2024.csv", good.encode("cp1252"))
    assert "Windows-1252" in page.locator("#content-main").inner_text()
    assert "Organisations à créer (2)" in page.locator("#rows-create caption").text_content()
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_url("**/admin/poles/membership/?pole__id__exact=*")
    assert "2 organisation(s) créée(s)" in page.locator(".messagelist").inner_text()

    page.goto(pole.get_absolute_url())
    members = page.locator("main").inner_text()
    assert "Acmé Robotique" in members and "Bêta Composites" in members
    assert set(Membership.objects.filter(pole=pole).values_list("organisation__siren", flat=True)) == {ACME, BETA}
