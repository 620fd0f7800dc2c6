"""Every change to content is kept with who, when and what (field by field), shown in the admin, and any earlier
version comes back in one action. Bulk paths stay quiet: fixture loads write a version only for what changed."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import Person
from poles.history import tracked_models
from poles.models import Pole, PoleName, Region, Theme
from poles.roles import EDITOR, WRITER
from tests.admin_forms import post_change
from tests.factories import make_person, make_pole, staff_client

pytestmark = pytest.mark.django_db


def edit(client: Client, obj, **changes):
    response = post_change(client, obj, **changes)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def history_rows() -> int:
    return sum(model.history.count() for model in tracked_models())


def test_an_admin_save_writes_one_version_with_who_and_what():
    editor = staff_client(EDITOR)
    pole = make_pole(summary="Avant.")
    other_region = Region.objects.exclude(pk__in=pole.regions.all()).first()
    before = pole.history.count()

    edit(editor, pole, summary="Après.", regions=[str(other_region.pk)])

    assert pole.history.count() == before + 1
    latest, previous = pole.history.all()[:2]
    assert latest.history_user == editor.user
    delta = latest.diff_against(previous)
    assert set(delta.changed_fields) == {"summary", "regions"}
    assert list(latest.regions.values_list("region_id", flat=True)) == [other_region.pk]


def test_the_history_page_shows_each_change_field_by_field_in_french():
    editor = staff_client(EDITOR)
    person = make_person(summary="Ancienne présentation.", status="draft")
    edit(editor, person, summary="Nouvelle présentation.", status="published")

    html = editor.get(f"/admin/events/person/{person.pk}/history/").content.decode()

    assert "<strong>Présentation</strong> : Ancienne présentation. &rarr; Nouvelle présentation." in html
    assert "<strong>État de publication</strong> : Brouillon &rarr; Publié" in html
    assert editor.user.username in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)


def test_an_earlier_version_is_restored_in_one_action(client):
    editor = staff_client(EDITOR)
    pole = make_pole(name="Pôle restauré", summary="Le bon texte.")
    themes = list(pole.themes.values_list("pk", flat=True))
    good = pole.history.first()
    edit(editor, pole, summary="Un texte erroné.", themes=[str(Theme.objects.exclude(pk__in=themes).first().pk)])

    response = editor.post(f"/admin/poles/pole/{pole.pk}/history/{good.history_id}/restore/", follow=True)

    pole.refresh_from_db()
    assert pole.summary == "Le bon texte."
    assert list(pole.themes.values_list("pk", flat=True)) == themes
    assert "Le bon texte." in client.get(pole.get_absolute_url()).content.decode()
    assert any("restaurée" in str(message) for message in response.context["messages"])
    assert pole.history.first().history_change_reason.startswith("Restauration de la version du ")
    assert pole.history.first().history_user == editor.user


def test_restoring_keeps_the_publication_state():
    editor = staff_client(EDITOR)
    person = make_person(status="draft", summary="Brouillon.")
    draft_version = person.history.first()
    edit(editor, person, status="published", summary="Publié.")

    editor.post(f"/admin/events/person/{person.pk}/history/{draft_version.history_id}/restore/")

    person.refresh_from_db()
    assert (person.summary, person.status) == ("Brouillon.", "published")


def test_only_those_allowed_to_revert_see_the_button_and_restore():
    person = make_person(summary="Original.")
    version = person.history.first()
    person.summary = "Modifié."
    person.save()
    history_url = f"/admin/events/person/{person.pk}/history/"
    restore_url = f"{history_url}{version.history_id}/restore/"
    writer, editor = staff_client(WRITER), staff_client(EDITOR)

    assert writer.get(history_url).status_code == 403
    assert writer.post(restore_url).status_code == 403
    assert "Restaurer cette version" in editor.get(history_url).content.decode()
    assert editor.get(restore_url).status_code == 405
    person.refresh_from_db()
    assert person.summary == "Modifié."


def test_a_version_is_viewed_but_never_saved_through_simple_historys_own_form():
    editor = staff_client(EDITOR)
    person = make_person(summary="Original.")
    version = person.history.first()
    url = f"/admin/events/person/{person.pk}/history/{version.history_id}/"

    assert editor.get(url).status_code == 200
    assert editor.post(url, {"name": "Pirate", "sort_name": "Pirate", "slug": person.slug, "status": "draft"}).status_code == 405
    person.refresh_from_db()
    assert person.name != "Pirate"


def test_the_changes_of_child_rows_show_in_their_parents_history():
    editor = staff_client(EDITOR)
    pole = make_pole()
    PoleName.objects.create(pole=pole, name="Ancien nom d'essai", kind="former")

    html = editor.get(f"/admin/poles/pole/{pole.pk}/history/").content.decode()

    assert "Autre nom : Ancien nom d&#x27;essai" in html


# Bulk paths


def test_loading_the_real_data_again_writes_no_version_and_every_real_row_has_one():
    before = history_rows()
    call_command("load_real_data", verbosity=0)

    assert history_rows() == before
    assert not Pole.objects.real().exclude(pk__in=Pole.history.values("id")).exists()
    assert not Person.objects.real().exclude(pk__in=Person.history.values("id")).exists()


def test_a_fixture_change_writes_one_version_for_that_object_only(tmp_path):
    person = Person.objects.get(slug="fleur-pellerin")
    fixture = tmp_path / "people.json"
    record = {
        "model": "events.person",
        "fields": {
            "name": person.name, "sort_name": person.sort_name, "slug": person.slug, "summary": "Résumé mis à jour.",
            "status": "published", "sources": [[source.reference] for source in person.sources.all()],
        },
    }
    fixture.write_text(json.dumps([record]), encoding="utf-8")
    before = history_rows()

    call_command("load_real_data", str(fixture), verbosity=0)

    assert history_rows() == before + 1
    assert person.history.first().summary == "Résumé mis à jour."
    assert person.history.first().history_change_reason == "Chargement des données réelles (fixtures/)"


def test_seed_demo_writes_no_history_in_either_direction():
    before = history_rows()
    call_command("seed_demo", members=20, events=2, verbosity=0)
    assert history_rows() == before
    call_command("seed_demo", clear=True, verbosity=0)
    assert history_rows() == before
