import re

import pytest

from events.models import Event
from tests.factories import make_event
from tests.listing_checks import assert_facet_counts_match_results, assert_never_a_server_error, read_csv

pytestmark = pytest.mark.django_db


def test_it_lists_the_events_newest_first_with_true_dates(client):
    response = client.get("/evenements/")
    assert response.status_code == 200
    html = response.content.decode()
    dates = re.findall(r'<p class="fr-mb-0"><time datetime="([\d-]+)"', html)
    assert len(dates) == Event.objects.published().count()
    assert dates == sorted(dates, reverse=True)
    assert '<time datetime="2014-01-24">24 janvier 2014</time>' in html
    assert '<time datetime="2012-12-04">4 décembre 2012</time>' in html
    # A date the sources only give to the month is shown to the month.
    assert '<time datetime="2016-03">mars 2016</time>' in html


def test_it_filters_by_year_kind_and_pole(client):
    html = client.get("/evenements/?year=2014").content.decode()
    assert "2014-01-24" in html and "2012-12-04" not in html
    html = client.get("/evenements/?pole=aerospace-valley").content.decode()
    assert Event.objects.filter(sessions__poles__slug="aerospace-valley").first().title in html
    html = client.get("/evenements/?kind=atelier").content.decode()
    assert "2013-06-17" in html and "2014-01-24" not in html


@pytest.mark.parametrize("chosen", [{}, {"kind": "journee-nationale"}, {"year": "2014"}])
def test_every_filter_option_count_matches_the_rows_it_returns(client, chosen):
    """With another filter chosen too: the pôle facet, counted on the pôle links alone, then keeps the chosen
    events only."""
    assert_facet_counts_match_results(client, "/evenements/", chosen, ["year", "kind", "pole"])


def test_the_csv_has_the_same_rows_as_the_filtered_list(client):
    rows = read_csv(client.get("/evenements/export.csv", {"kind": "journee-nationale"}))
    assert {row["titre"] for row in rows} == set(Event.objects.filter(kind="journee-nationale").values_list("title", flat=True))
    assert [row["date"] for row in rows] == sorted((row["date"] for row in rows), reverse=True)


def test_bad_parameters_never_give_a_server_error(client):
    assert_never_a_server_error(client, "/evenements/")
    response = client.get("/evenements/?year=deux-mille")
    assert response.status_code == 200
    assert "Certains critères n'ont pas pu être pris en compte" in response.content.decode()


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as before:
        client.get("/evenements/", {"kind": "atelier"})
    for _ in range(25):
        make_event(sessions=3, kind="atelier")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/evenements/", {"kind": "atelier"})


def test_an_event_is_under_a_pole_only_once_a_public_session_names_it(client, django_capture_on_commit_callbacks):
    """A draft session, or one scheduled for later, must not list its event under a pôle — until it is public."""
    import datetime

    import time_machine
    from django.utils import timezone

    from tests.factories import make_pole
    from tests.listing_checks import facet_options

    opening = timezone.now() + datetime.timedelta(hours=2)
    pole = make_pole(status="published")
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=2, status="published", title="Rencontre des pôles alpins")
        draft, scheduled = event.sessions.order_by("order")
        draft.status = "draft"
        draft.save()
        scheduled.status, scheduled.publish_at = "published", opening
        scheduled.save()
        draft.poles.add(pole)
        scheduled.poles.add(pole)
        other = make_event(sessions=2, status="published", title="Rencontre des pôles jurassiens")
        for session in other.sessions.all():
            session.poles.add(pole)
    html = client.get("/evenements/", {"pole": pole.slug}).content.decode()
    assert "Rencontre des pôles alpins" not in html and "Rencontre des pôles jurassiens" in html
    # An event counts once under a pôle, however many of its sessions name it.
    assert dict(facet_options(client.get("/evenements/").content.decode(), "pole"))[pole.slug] == 1
    with time_machine.travel(opening + datetime.timedelta(minutes=1)):
        html = client.get("/evenements/", {"pole": pole.slug}).content.decode()
        assert "Rencontre des pôles alpins" in html
        assert dict(facet_options(client.get("/evenements/").content.decode(), "pole"))[pole.slug] == 2


def test_a_pole_scheduled_for_later_becomes_a_filter_value_once_its_time_has_come(
    client, django_capture_on_commit_callbacks
):
    """The filter's choices are read at each request: a pôle published after start-up is accepted without a restart."""
    import datetime

    import time_machine
    from django.utils import timezone

    from tests.factories import make_pole

    opening = timezone.now() + datetime.timedelta(hours=2)
    pole = make_pole(status="published", publish_at=opening)
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(status="published", title="Rencontre des pôles lacustres")
        event.sessions.get().poles.add(pole)
    with time_machine.travel(opening + datetime.timedelta(minutes=1)):
        html = client.get("/evenements/", {"pole": pole.slug}).content.decode()
        assert "Rencontre des pôles lacustres" in html
        assert "13e journée nationale des pôles" not in html  # only the pôle's events, not the whole list
        html = client.get("/evenements/", {"q": "pôles", "pole": pole.slug}).content.decode()
        assert "Rencontre des pôles lacustres" in html and "13e journée nationale des pôles" not in html
