"""Public corrections: a change staff tick « Correction publique », with its reason, is announced on the page
(« Modifié le … : raison ») and listed; routine edits stay internal."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine

from poles.content import Correction
from poles.roles import EDITOR, WRITER
from tests.admin_forms import post_change
from tests.factories import make_event, make_person, staff_client

pytestmark = pytest.mark.django_db


def test_a_correction_is_announced_on_the_page_with_its_date_and_reason(client):
    editor = staff_client(EDITOR)
    person = make_person(summary="Ministre de l'industrie.")

    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)):
        response = post_change(
            editor, person, summary="Ministre déléguée.", public_correction="on",
            correction_reason="Fonction corrigée : ministre déléguée, et non ministre.",
        )
    html = client.get(person.get_absolute_url()).content.decode()

    assert response.status_code == 302
    notice = re.search(r'<p class="fr-text--sm correction-notice".*?</p>', html, re.S).group(0)
    assert 'Modifié le <time datetime="2026-11-20">20 novembre 2026</time>' in notice
    assert "Fonction corrigée : ministre déléguée, et non ministre." in notice
    assert 'id="corrections"' in html and "Corrections apportées à cette page" in html
    correction = Correction.objects.get()
    assert (correction.content_object, correction.user) == (person, editor.user)
    assert person.history.latest("history_id").history_change_reason.startswith("Correction publique : Fonction corrigée")


def test_every_correction_is_listed_newest_first(client):
    editor = staff_client(EDITOR)
    person = make_person()
    for day, reason in [(1, "Nom corrigé."), (2, "Date de naissance retirée.")]:
        with time_machine.travel(datetime.datetime(2026, 3, day, 12, 0, tzinfo=datetime.UTC)):
            post_change(editor, person, public_correction="on", correction_reason=reason)

    html = client.get(person.get_absolute_url()).content.decode()
    listed = re.search(r'<section class="fr-mt-6w" id="corrections".*?</section>', html, re.S).group(0)

    assert listed.index("Date de naissance retirée.") < listed.index("Nom corrigé.")
    assert "voir les 2 corrections" in html


def test_routine_edits_show_nothing(client):
    person = make_person()

    post_change(staff_client(EDITOR), person, summary="Une présentation plus complète.")

    html = client.get(person.get_absolute_url()).content.decode()
    assert "Une présentation plus complète." in html
    assert "Modifié le" not in html and not Correction.objects.exists()


def test_a_correction_needs_its_reason():
    person = make_person()

    response = post_change(staff_client(EDITOR), person, summary="Autre.", public_correction="on", correction_reason=" ")

    assert response.status_code == 200
    assert "Indiquez la raison de la correction" in response.content.decode()
    assert not Correction.objects.exists()


def test_only_those_who_publish_announce_corrections():
    person = make_person()
    writer = staff_client(WRITER)

    assert "correction_reason" not in writer.get(f"/admin/events/person/{person.pk}/change/").content.decode()
    post_change(writer, person, public_correction="on", correction_reason="Forgé.")
    assert not Correction.objects.exists()


def test_a_sessions_correction_shows_on_its_events_page(client):
    event = make_event(sessions=1)
    session = event.sessions.get()

    post_change(staff_client(EDITOR), session, title="Titre exact", public_correction="on", correction_reason="Titre rétabli.")

    html = client.get(event.get_absolute_url()).content.decode()
    assert "(Séquence « Titre exact ») : Titre rétabli." in html
