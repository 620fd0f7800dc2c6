import pytest

from events.models import Event

pytestmark = pytest.mark.django_db


def test_it_shows_every_session_in_order_with_anchors_people_and_poles(client):
    event = Event.objects.get(date="2014-01-24")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    positions = []
    for session in event.sessions.order_by("order"):
        marker = f'id="{session.anchor}"'
        assert marker in html
        positions.append(html.index(marker))
        for appearance in session.appearances.all():
            assert appearance.person.name in html
        for pole in session.poles.all():
            assert f'href="{pole.get_absolute_url()}"' in html
    assert positions == sorted(positions)
    assert event.sessions.filter(kind="round-table").count() == 4
    assert "Véronique Barry" in html and "Pierre Pelouzet" in html


def test_it_links_to_the_previous_and_next_edition(client):
    event = Event.objects.get(date="2014-01-24")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Édition précédente" in html


def test_an_unknown_event_is_a_404(client):
    assert client.get("/evenements/rien-de-tel/").status_code == 404
