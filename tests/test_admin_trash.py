"""Deleting public content puts it in the trash: gone from the public site and the default admin lists, listed by
the « Corbeille » filter, restored by an action that needs the delete permission. Superusers alone purge it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Person
from poles.roles import EDITOR, WRITER
from tests.events.test_archive_search import events_of, hits
from tests.factories import make_event, make_person, make_pole, staff_client

pytestmark = pytest.mark.django_db

PERSONS = "/admin/events/person/"


def test_deleting_from_the_admin_puts_in_the_trash(client):
    editor = staff_client(EDITOR)
    person = make_person(name="Personne Corbeille")

    confirmation = editor.get(f"{PERSONS}{person.pk}/delete/").content.decode()
    response = editor.post(f"{PERSONS}{person.pk}/delete/", {"post": "yes"}, follow=True)

    assert "à la corbeille" in confirmation and "pourra être restauré" in confirmation
    assert any("est dans la corbeille" in str(message) for message in response.context["messages"])
    person.refresh_from_db()
    assert person.deleted_at is not None and person.history.first().history_user == editor.user
    assert client.get(person.get_absolute_url()).status_code == 404
    assert "Personne Corbeille" not in editor.get(PERSONS).content.decode()
    assert "Personne Corbeille" in editor.get(PERSONS, {"corbeille": "1"}).content.decode()


def test_deleting_an_event_keeps_its_sessions_and_hides_it_from_the_search(client, django_capture_on_commit_callbacks):
    editor = staff_client(EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=2, title="Forum du bleu de Prusse")
    assert events_of(hits(client, q="bleu de Prusse")) == {event.slug}

    confirmation = editor.get(f"/admin/events/event/{event.pk}/delete/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"})

    assert "Séquence 1" not in confirmation  # nothing cascades: no list of related objects to be deleted
    assert event.sessions.count() == 2
    assert hits(client, q="bleu de Prusse") == []
    assert client.get(f"/evenements/{event.slug}.ics").status_code == 404


def test_bulk_deletion_puts_every_selected_item_in_the_trash():
    editor = staff_client(EDITOR)
    people = [make_person() for _ in range(2)]
    selected = {"action": "delete_selected", "_selected_action": [person.pk for person in people]}

    confirmation = editor.post(PERSONS, selected).content.decode()
    editor.post(PERSONS, {**selected, "post": "yes"})

    assert "Mettre les intervenants suivants à la corbeille" in confirmation
    assert Person.objects.filter(pk__in=[p.pk for p in people], deleted_at__isnull=False).count() == 2


def test_restoring_from_the_trash_needs_the_delete_permission(client):
    person = make_person()
    person.soft_delete()
    restore = {"action": "restore_from_trash", "_selected_action": [person.pk]}

    staff_client(WRITER).post(f"{PERSONS}?corbeille=1", restore)
    person.refresh_from_db()
    assert person.deleted_at is not None

    staff_client(EDITOR).post(f"{PERSONS}?corbeille=1", restore)
    person.refresh_from_db()
    assert person.deleted_at is None
    assert client.get(person.get_absolute_url()).status_code == 200  # published, as it was before


def test_a_deleted_item_is_not_offered_in_autocomplete_lists():
    editor = staff_client(EDITOR)
    pole = make_pole(name="Pôle effacé d'essai")
    pole.soft_delete()

    response = editor.get(
        "/admin/autocomplete/", {"term": "effacé", "app_label": "events", "model_name": "session", "field_name": "poles"}
    )

    assert response.status_code == 200
    assert "Pôle effacé" not in response.content.decode()


def test_the_change_form_of_a_deleted_item_says_it_is_in_the_trash():
    person = make_person()
    person.soft_delete()

    response = staff_client(EDITOR).get(f"{PERSONS}{person.pk}/change/")

    assert any("Cet élément est dans la corbeille" in str(message) for message in response.context["messages"])


def test_only_superusers_purge_and_only_from_the_trash():
    editor = staff_client(EDITOR)
    superuser = Client()
    superuser.force_login(User.objects.create_superuser("direction", password="Un mot de passe assez long"))
    trashed, kept = make_person(), make_person()
    trashed.soft_delete()
    purge = {"action": "purge", "_selected_action": [trashed.pk, kept.pk]}

    assert 'value="purge"' not in editor.get(PERSONS).content.decode()
    editor.post(PERSONS, purge)
    assert Person.objects.filter(pk=trashed.pk).exists()

    superuser.post(f"{PERSONS}?corbeille=1", purge)
    assert not Person.objects.filter(pk=trashed.pk).exists()
    assert Person.objects.filter(pk=kept.pk).exists()


def test_the_fixtures_do_not_take_a_deleted_row_out_of_the_trash():
    from django.core.management import call_command

    event = Event.objects.get(slug="15e-journee-nationale-des-poles-2016")
    event.soft_delete()
    Event.objects.filter(pk=event.pk).update(theme="Changé à la main")  # so that the load updates the row

    call_command("load_real_data", verbosity=0)

    event.refresh_from_db()
    assert event.deleted_at is not None and event.theme != "Changé à la main"
