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


def test_query_count_does_not_grow_with_sessions_and_speakers(client, django_assert_max_num_queries):
    from tests.factories import make_appearance, make_event, make_person

    event = make_event(sessions=2)
    with django_assert_max_num_queries(12) as before:
        client.get(event.get_absolute_url())
    for session in event.sessions.all():
        for _ in range(5):
            make_appearance(session, make_person())
    for order in range(3, 10):
        event.sessions.create(order=order, anchor=f"sequence-{order}", kind="speech", title=f"Séquence {order}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(event.get_absolute_url())
    assert 'id="sequence-9"' in response.content.decode()


def test_the_english_page_of_an_event_shows_english_summaries_where_staff_wrote_them(client):
    from tests.factories import make_event

    event = make_event(sessions=2, summary="Résumé de l'événement.", summary_en="The event's summary.")
    first, second = event.sessions.order_by("order")
    first.summary, first.summary_en = "Résumé de la séquence.", "The session's summary."
    first.save()
    second.summary = "Une séquence sans traduction."
    second.save()
    url = event.get_absolute_url()
    html = client.get(f"/en{url}").content.decode()
    assert '<p class="fr-text--lead">The event&#x27;s summary.</p>' in html
    assert "<p>The session&#x27;s summary.</p>" in html
    assert '<p lang="fr">Une séquence sans traduction.</p>' in html
    assert html.count("Available in French only") == 1
    french = client.get(url).content.decode()
    assert "Résumé de l&#x27;événement." in french and "The event" not in french


@pytest.mark.parametrize(
    "prefix, day, month",
    [("", "24 janvier 2014", "mars 2016"), ("/en", "24 January 2014", "March 2016")],
)
def test_dates_are_written_in_the_language_of_the_page(client, prefix, day, month):
    from tests.factories import make_event

    national_day = Event.objects.get(date="2014-01-24").get_absolute_url()
    approximate = make_event(date="2016-03-01", date_precision="month").get_absolute_url()
    assert f'<time datetime="2014-01-24">{day}</time>' in client.get(prefix + national_day).content.decode()
    html = client.get(prefix + approximate).content.decode()
    assert f'<time datetime="2016-03">{month}</time>' in html
