import pytest
from django.utils.html import escape

from events.models import Appearance

pytestmark = pytest.mark.django_db


def test_it_lists_each_appearance_with_event_date_session_and_role_then(client):
    response = client.get("/intervenants/fleur-pellerin/")
    assert response.status_code == 200
    html = response.content.decode()
    appearances = Appearance.objects.filter(person__slug="fleur-pellerin").select_related("session__event")
    assert appearances.count() >= 2
    for appearance in appearances:
        assert appearance.session.get_absolute_url() in html
        assert appearance.session.event.date.isoformat() in html
        assert escape(appearance.position) in html


def test_an_unknown_person_is_a_404(client):
    assert client.get("/intervenants/personne-inconnue/").status_code == 404


def test_query_count_does_not_grow_with_appearances(client, django_assert_max_num_queries):
    from tests.factories import make_appearance, make_event, make_person

    person = make_person()
    make_appearance(make_event().sessions.first(), person)
    with django_assert_max_num_queries(9) as before:
        client.get(person.get_absolute_url())
    for _ in range(10):
        make_appearance(make_event().sessions.first(), person, position="Fonction d'essai")
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(person.get_absolute_url())
    assert response.content.decode().count("Fonction d&#x27;essai") == 10
