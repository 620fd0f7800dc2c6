import datetime
import re

import pytest
from django.test import RequestFactory
from django.utils.html import escape

from events.citations import date_text, event_citation, session_citation
from events.models import Appearance, Event, Session
from tests.factories import make_appearance, make_event, make_organisation, make_person

pytestmark = pytest.mark.django_db

THIRTEENTH = "13e-journee-nationale-des-poles-2014"


def test_a_session_citation_names_the_speaker_as_then_the_event_the_date_and_the_permalink():
    session = Session.objects.get(event__slug=THIRTEENTH, anchor="intervention-fleur-pellerin")
    appearance = Appearance.objects.get(session=session, person__slug="fleur-pellerin")
    request = RequestFactory().get("/")  # host: testserver
    text = session_citation(session, request)
    assert text.startswith(f"Fleur Pellerin, {appearance.position}, intervention « Intervention de Fleur Pellerin »")
    assert "13e journée nationale des pôles de compétitivité, Bercy, Paris, 24 janvier 2014." in text
    assert text.endswith(f" http://testserver/evenements/{THIRTEENTH}/#intervention-fleur-pellerin")
    # A base URL does as well as a request.
    other_site = text.replace("http://testserver", "https://poles.example")
    assert session_citation(session, "https://poles.example/") == other_site


def test_a_round_table_keeps_its_own_quotes_and_credits_its_moderator():
    session = Session.objects.get(event__slug=THIRTEENTH, anchor="table-ronde-1")
    text = session_citation(session, "https://poles.example")
    assert text.startswith(
        "Pierre Pelouzet, médiateur des relations interentreprises, table ronde « Relations entre PME"
    )
    assert "««" not in text and "« «" not in text
    assert "(animation : Véronique Barry, sous-directrice chargée de l'innovation à la DGCIS)" in text


def test_dates_are_written_as_precisely_as_they_are_known():
    assert date_text(datetime.date(2014, 1, 24)) == "24 janvier 2014"
    assert date_text(datetime.date(2019, 3, 1)) == "1er mars 2019"
    assert date_text(datetime.date(2016, 3, 1), "month") == "mars 2016"
    assert date_text(datetime.date(2016, 1, 1), "year") == "2016"
    event = Event.objects.get(slug="15e-journee-nationale-des-poles-2016")
    text = event_citation(event, "https://poles.example")
    assert text == (
        "15e journée nationale des pôles de compétitivité, mars 2016. "
        "https://poles.example/evenements/15e-journee-nationale-des-poles-2016/"
    )


def test_a_session_without_speakers_starts_with_its_kind():
    event = make_event(sessions=1, title="Atelier d'essai", venue="Bercy", city="Paris", date=datetime.date(2020, 5, 4))
    text = session_citation(event.sessions.get(), "https://poles.example")
    assert text == (
        "Intervention « Séquence 1 », Atelier d'essai, Bercy, Paris, 4 mai 2020. "
        f"https://poles.example/evenements/{event.slug}/#sequence-1"
    )


def test_the_event_page_offers_a_citation_for_the_event_and_every_session_and_the_calendar(client):
    event = Event.objects.get(slug=THIRTEENTH)
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert escape(event_citation(event, "http://testserver")) in html
    for session in Session.objects.published().filter(event=event).prefetch_related("appearances__person"):
        assert f'id="citation.{session.anchor}"' in html
        assert escape(session_citation(session, "http://testserver")) in html
    assert html.count("<details class=\"citation") == event.sessions.count() + 1
    assert f'href="/evenements/{THIRTEENTH}.ics"' in html and "Ajouter à mon agenda (.ics)" in html
    # The copy button waits for JavaScript, which comes from a file, with the page's CSP nonce.
    assert "Copier la citation" in html and "data-copy-actions hidden" in html
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script src="/static/js/copy.js" nonce="{nonce}" defer></script>' in html
    assert html.count("<h1") == 1


def test_citations_cost_no_query_per_session_or_speaker(client, django_assert_max_num_queries):
    event = make_event(sessions=2)
    with django_assert_max_num_queries(12) as before:
        client.get(event.get_absolute_url())
    organisation = make_organisation()
    for session in event.sessions.all():
        for _ in range(4):
            make_appearance(session, make_person(), organisation=organisation)
            make_appearance(session, make_person(), role="moderator", position="Animatrice d'essai")
    for order in range(3, 8):
        event.sessions.create(order=order, anchor=f"sequence-{order}", kind="round-table", title=f"Séquence {order}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(event.get_absolute_url()).content.decode()
    assert html.count("(animation : ") == 2
    assert escape(f", {organisation.name}, intervention « Séquence 1 »") in html
