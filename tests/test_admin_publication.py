"""The publication workflow in the admin: drafts first, publishing as a permission of its own (`publish_<model>`),
completeness checked before anything is published, and the actions « Publier », « Archiver », « Repasser en
brouillon ». What a rédacteur may not do by direct POST is in tests/test_roles.py."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from events.models import Event, Person, Session
from poles.content import Content
from poles.models import Pole, Region, Theme
from poles.roles import EDITOR, WRITER
from tests.admin_forms import form_data
from tests.factories import make_appearance, make_event, make_person, make_pole, staff_client
from tests.policy.factories import make_source

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def run_action(client: Client, model, action: str, objects) -> list[str]:
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    response = client.post(url, {"action": action, "_selected_action": [obj.pk for obj in objects]}, follow=True)
    assert response.status_code == 200
    return messages_of(response)


def test_every_public_content_type_has_its_publish_permission():
    content_models = [model for model in apps.get_models() if issubclass(model, Content)]
    expected = {f"publish_{model._meta.model_name}" for model in content_models}

    assert expected == {
        "publish_pole", "publish_organisation", "publish_event", "publish_session", "publish_person",
        "publish_phase", "publish_report", "publish_keyfigure", "publish_decision",
    }
    assert expected <= set(Permission.objects.values_list("codename", flat=True))


def test_a_new_item_starts_as_a_draft():
    html = staff_client(EDITOR).get("/admin/events/person/add/").content.decode()

    selected = re.search(r'<select name="status"[^>]*>.*?<option value="(\w+)" selected>', html, re.S)
    assert selected.group(1) == "draft"


# Completeness


def test_a_pole_without_region_theme_or_source_cannot_be_published_and_the_form_says_what_is_missing():
    editor = staff_client(EDITOR)
    data = form_data(editor, "/admin/poles/pole/add/")
    data.update(name="Pôle incomplet", slug="pole-incomplet", status="published")

    response = editor.post("/admin/poles/pole/add/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Impossible de publier : il manque au moins une région, au moins une thématique et au moins une source."
    ]
    assert not Pole.objects.filter(slug="pole-incomplet").exists()


def test_a_complete_pole_is_published_from_the_form():
    editor = staff_client(EDITOR)
    data = form_data(editor, "/admin/poles/pole/add/")
    data.update(
        name="Pôle complet", slug="pole-complet", status="published",
        regions=str(Region.objects.first().pk), themes=str(Theme.objects.first().pk), sources=str(make_source().pk),
    )

    response = editor.post("/admin/poles/pole/add/", data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Pole.objects.published().filter(slug="pole-complet").exists()


def test_an_event_without_sessions_cannot_be_published():
    editor = staff_client(EDITOR)
    event = make_event(sessions=0, status="draft")
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(editor, url)
    data["status"] = "published"

    response = editor.post(url, data)

    assert response.status_code == 200
    assert "Impossible de publier : il manque au moins une séquence." in response.content.decode()
    event.refresh_from_db()
    assert event.status == "draft"


def test_an_event_is_published_with_the_session_added_in_the_same_form():
    editor = staff_client(EDITOR)
    event = make_event(sessions=0, status="draft")
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(editor, url)
    data.update({
        "status": "published", "sessions-TOTAL_FORMS": "1",
        "sessions-0-order": "1", "sessions-0-anchor": "ouverture", "sessions-0-kind": "opening",
        "sessions-0-title": "Ouverture", "sessions-0-status": "draft",
    })

    response = editor.post(url, data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "published" and event.sessions.get().status == "draft"


def test_a_session_without_speakers_is_not_published_by_the_action_which_says_why():
    editor = staff_client(EDITOR)
    event = make_event(sessions=2)
    silent, spoken = event.sessions.order_by("order")
    make_appearance(spoken, make_person())
    Session.objects.filter(event=event).update(status="draft")

    messages = run_action(editor, Session, "publish", [silent, spoken])

    assert f"« {silent} » : Impossible de publier : il manque au moins un intervenant." in messages
    assert "1 élément : publié." in messages
    assert set(Session.objects.filter(event=event).values_list("anchor", "status")) == {
        ("sequence-1", "draft"), ("sequence-2", "published"),
    }


def test_an_incomplete_event_already_published_stays_editable_with_a_warning():
    """The 15th national day (March 2016) has no sessions in our sources and was published before the check."""
    editor = staff_client(EDITOR)
    event = Event.objects.get(slug="15e-journee-nationale-des-poles-2016")
    assert event.is_public
    url = f"/admin/events/event/{event.pk}/change/"

    page = editor.get(url)
    data = form_data(editor, url)
    data["theme"] = "Thème précisé"
    response = editor.post(url, data)

    assert "Publié mais incomplet : il manque au moins une séquence." in messages_of(page)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.theme == "Thème précisé" and event.is_public


# The actions


def test_an_editor_publishes_schedules_archives_and_unpublishes_with_the_actions(client):
    editor = staff_client(EDITOR)
    person = make_person(status="draft")
    later = make_person(status="draft", publish_at=timezone.now() + datetime.timedelta(days=2))

    messages = run_action(editor, Person, "publish", [person, later])
    assert client.get(person.get_absolute_url()).status_code == 200
    assert client.get(later.get_absolute_url()).status_code == 404
    assert any("Programmés, visibles à partir de la date prévue" in message for message in messages)

    run_action(editor, Person, "archive", [person])
    assert client.get(person.get_absolute_url()).status_code == 404
    run_action(editor, Person, "back_to_draft", [person])
    person.refresh_from_db()
    assert person.status == "draft"
    reasons = list(person.history.values_list("history_change_reason", flat=True)[:3])
    assert reasons == ["Action « Repassé en brouillon »", "Action « Archivé »", "Action « Publié »"]


def test_the_publication_actions_are_offered_on_the_change_form_too():
    person = make_person(status="draft")

    html = staff_client(EDITOR).get(f"/admin/events/person/{person.pk}/change/").content.decode()

    assert '<option value="publish">Publier</option>' in html


def test_a_writer_is_offered_no_publication_action_and_a_forged_one_changes_nothing():
    writer = staff_client(WRITER)
    person = make_person(status="draft")
    published = make_person(status="published")

    html = writer.get("/admin/events/person/").content.decode()
    for action in ("publish", "archive", "back_to_draft", "restore_from_trash"):
        assert f'value="{action}"' not in html
        run_action(writer, Person, action, [person, published])
    person.refresh_from_db()
    published.refresh_from_db()
    assert (person.status, published.status) == ("draft", "published")


def test_a_writer_cannot_publish_a_session_through_the_event_form():
    writer = staff_client(WRITER)
    event = make_event(sessions=1, status="draft")
    session = event.sessions.get()
    make_appearance(session, make_person())
    Session.objects.filter(pk=session.pk).update(status="draft")
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(writer, url)
    data["sessions-0-status"] = "published"

    response = writer.post(url, data)

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == "draft"


def test_a_writer_edits_a_published_item_without_changing_its_state(client):
    person = make_person(status="published")
    writer = staff_client(WRITER)
    url = f"/admin/events/person/{person.pk}/change/"
    data = form_data(writer, url)
    data["summary"] = "Présentation revue."

    assert writer.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.summary, person.status) == ("Présentation revue.", "published")


def test_a_pole_made_incomplete_by_an_edit_is_refused_while_published():
    editor = staff_client(EDITOR)
    pole = make_pole()
    pole.sources.set([make_source()])
    url = f"/admin/poles/pole/{pole.pk}/change/"
    data = form_data(editor, url)
    data.pop("themes")

    response = editor.post(url, data)

    assert response.status_code == 200
    assert "il manque au moins une thématique" in response.content.decode()
    assert pole.themes.exists()
