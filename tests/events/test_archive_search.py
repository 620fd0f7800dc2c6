"""The journalists' search, proven on the real fixtures — the same table of queries on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils.text import slugify

from events.models import Appearance, Event, Person
from tests.factories import make_appearance, make_event, make_person
from tests.listing_checks import assert_facet_counts_match_results

pytestmark = pytest.mark.django_db


def hits(client, **params) -> list[str]:
    """Every hit of every page, as "event-slug" or "event-slug#anchor"."""
    found, page = [], 1
    while True:
        response = client.get("/evenements/", {**params, "page": page})
        assert response.status_code == 200
        html = response.content.decode()
        found += re.findall(r'<h2 class="fr-h6 fr-mb-1v"><a href="/evenements/([\w-]+/(?:#[\w-]+)?)">', html)
        if "Page suivante" not in html:
            return [hit.replace("/", "") for hit in found]
        page += 1


def events_of(found: list[str]) -> set[str]:
    return {hit.split("#")[0] for hit in found}


# query → sessions (event#anchor) or events that must be among the hits, and words that must not match elsewhere
QUERIES = [
    ("mediation", {"13e-journee-nationale-des-poles-2014#table-ronde-1"}),
    ("Médiation", {"13e-journee-nationale-des-poles-2014#table-ronde-1"}),
    ("designer en residence", {"13e-journee-nationale-des-poles-2014#table-ronde-2"}),
    ('"designer en résidence"', {"13e-journee-nationale-des-poles-2014#table-ronde-2"}),
    ("orpheme", {"13e-journee-nationale-des-poles-2014#table-ronde-4"}),
    ("LUTB", {"atelier-internationalisation-des-poles-2013#table-ronde-3"}),
    ("l'internationalisation", {"atelier-internationalisation-des-poles-2013"}),
]


@pytest.mark.parametrize("query, expected", QUERIES)
def test_names_accents_elisions_and_phrases_find_what_they_should(client, query, expected):
    found = set(hits(client, q=query))
    missing = {item for item in expected if item not in found and item not in events_of(found)}
    assert not missing, (query, sorted(found))


def test_stemming_finds_plural_and_singular_alike(client):
    assert set(hits(client, q="pôle")) == set(hits(client, q="poles"))
    assert hits(client, q="relations interentreprises") == hits(client, q="relation interentreprise")


def test_all_words_are_required_and_a_minus_excludes(client, django_capture_on_commit_callbacks):
    both = set(hits(client, q="Pellerin PME"))
    assert both and both <= set(hits(client, q="Pellerin")) and both <= set(hits(client, q="PME"))
    assert both < set(hits(client, q="Pellerin")) | set(hits(client, q="PME"))
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=2, title="Rencontre des tanneurs")
        first, second = event.sessions.order_by("order")
        first.summary = "Les tanneurs visitent une usine de cuir."
        first.save()
        second.summary = "Les tanneurs parlent d'export."
        second.save()
    tanneurs = set(hits(client, q="tanneurs"))
    assert {f"{event.slug}#{first.anchor}", f"{event.slug}#{second.anchor}"} <= tanneurs
    assert set(hits(client, q="tanneurs -usines")) == tanneurs - {f"{event.slug}#{first.anchor}"}


def test_a_speakers_surname_finds_every_event_where_they_spoke(client):
    for person in Person.objects.real():
        surname = person.sort_name.split(",")[0]
        spoke_at = set(Event.objects.filter(sessions__appearances__person=person).values_list("slug", flat=True))
        found = events_of(hits(client, q=surname))
        assert spoke_at <= found, person.name
        # …and no other, except events whose own texts name them (e.g. a summary listing the guests).
        for slug in found - spoke_at:
            event = Event.objects.get(slug=slug)
            texts = " ".join([event.summary, event.theme, *event.sessions.values_list("summary", flat=True)])
            assert slugify(surname) in slugify(texts), (person.name, slug)


def test_person_filter_gives_exactly_the_events_where_they_spoke(client):
    person = Person.objects.get(slug="fleur-pellerin")
    spoke_at = set(Event.objects.filter(sessions__appearances__person=person).values_list("slug", flat=True))
    assert events_of(hits(client, q="pôles", person="fleur-pellerin")) == spoke_at


def test_after_and_before_exclude_what_lies_outside(client):
    everything = hits(client, q="pôles")
    window = hits(client, q="pôles", after="2013-01-01", before="2013-12-31")
    dates = dict(Event.objects.values_list("slug", "date"))
    assert window and set(window) < set(everything)
    assert all(str(dates[hit.split("#")[0]]).startswith("2013") for hit in window)
    assert {hit for hit in everything if str(dates[hit.split("#")[0]]).startswith("2013")} == set(window)


def test_results_are_ranked_dated_highlighted_and_counted(client):
    response = client.get("/evenements/", {"q": "mediation"})
    html = response.content.decode()
    assert "<mark>Médiation</mark>" in html
    assert re.search(r"<strong>\d+ résultats?</strong>", html)
    assert '<time datetime="2014-01-24">' in html
    ranked = hits(client, q="Pellerin")
    by_date = hits(client, q="Pellerin", sort="-date")
    assert set(ranked) == set(by_date)
    dates = [Event.objects.get(slug=hit.split("#")[0]).date for hit in by_date]
    assert dates == sorted(dates, reverse=True)


def test_every_facet_count_matches_the_hits_it_gives(client):
    assert_facet_counts_match_results(
        client, "/evenements/", {"q": "pôles"}, ["year", "kind", "session_kind", "pole", "person", "organisation"]
    )


@pytest.mark.parametrize(
    "query",
    ["*", '"', "-", "- -", '"unbalanced', "a\x00b", "x" * 5000, "AND OR NOT", "NEAR(a b)", "pôle:*", "'; DROP TABLE", "ü" * 70],
)
def test_any_input_gives_results_or_a_clear_message(client, query):
    response = client.get("/evenements/", {"q": query})
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_the_index_follows_every_edit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Rencontre sur la cybersécurité portuaire", status="published")
        make_appearance(event.sessions.first(), make_person(name="Zoé Quintessence"))
    assert events_of(hits(client, q="cybersecurite portuaire")) == {event.slug}
    assert events_of(hits(client, q="quintessence")) == {event.slug}
    with django_capture_on_commit_callbacks(execute=True):
        Appearance.objects.filter(person__name="Zoé Quintessence").delete()
    assert hits(client, q="quintessence") == []
    with django_capture_on_commit_callbacks(execute=True):
        event.status = "draft"
        event.save()
    assert hits(client, q="cybersecurite portuaire") == []


def test_reindexing_many_events_costs_no_more_queries_than_reindexing_a_few():
    # A pôle renamed while thousands of sessions name it must not cost a query per entry rewritten.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.indexing import reindex_events

    few = [make_event(sessions=3).pk for _ in range(2)]
    many = [make_event(sessions=3).pk for _ in range(30)]
    reindex_events(few + many)  # both already indexed: each reindex replaces entries
    with CaptureQueriesContext(connection) as for_few:
        reindex_events(few)
    with CaptureQueriesContext(connection) as for_many:
        reindex_events(many)
    assert len(for_many.captured_queries) == len(for_few.captured_queries)


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    with django_assert_max_num_queries(12) as before:
        client.get("/evenements/", {"q": "pôles", "person": "fleur-pellerin", "pole": "cara"})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            make_event(sessions=3, title="Journée des pôles d'essai")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/evenements/", {"q": "pôles", "person": "fleur-pellerin", "pole": "cara"})


# Phrases with stop words inside, compound words and field boundaries: where PostgreSQL's positions and FTS5's
# phrases used to disagree. Each text is one session's summary (the session's title is "Séquence n").
PHRASE_TEXTS = {
    "exact": "Un designer en résidence rejoint le pôle.",
    "other stop word": "Un designer du résidence, faute de frappe.",
    "two stop words": "Le designer de la résidence étudiante.",
    "adjacent": "Designer, résidence et atelier.",
    "other word": "Un designer sans résidence.",
    "compound": "La ville Saint-Étienne accueille la journée.",
    "trailing title": "Designer invité.",
}
PHRASES = [
    ('"designer en résidence"', {"exact", "other stop word"}),
    ('"designer résidence"', {"adjacent"}),
    ('"designer de la résidence"', {"two stop words"}),
    ('"la résidence"', {"exact", "other stop word", "two stop words", "adjacent", "other word"}),
    ('"ville saint"', {"compound"}),
    ('"saint étienne accueille"', {"compound"}),
    ('"séquence 7 designer"', set()),  # the end of a title and the start of a summary are not one phrase
]


@pytest.mark.parametrize("query, expected", PHRASES)
def test_phrases_count_stop_words_and_stop_at_field_boundaries_on_both_engines(
    client, django_capture_on_commit_callbacks, query, expected
):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=len(PHRASE_TEXTS), title="Rencontre typographique", status="published")
        sessions = list(event.sessions.order_by("order"))
        for session, text in zip(sessions, PHRASE_TEXTS.values(), strict=True):
            session.summary = text
            session.save()
    anchors = {f"{event.slug}#{session.anchor}": name for session, name in zip(sessions, PHRASE_TEXTS, strict=True)}
    found = {anchors[hit] for hit in hits(client, q=query) if hit in anchors}
    assert found == expected


SEARCH_TABLE = json.loads((Path(__file__).parent / "search_table.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("query", sorted(SEARCH_TABLE))
def test_both_engines_give_the_same_hits_for_the_same_table_of_queries(client, query):
    # The suite runs on SQLite and on PostgreSQL against this one table: same hits on both.
    assert sorted(hits(client, q=query)) == SEARCH_TABLE[query]


def test_open_facets_offer_the_most_frequent_values_and_keep_a_chosen_one(client, django_capture_on_commit_callbacks):
    from tests.listing_checks import facet_options, listed_count

    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=1, title="Colloque sur la blanchisserie industrielle")
        session = event.sessions.first()
        people = [make_person() for _ in range(60)]
        for person in people:
            make_appearance(session, person)
    html = client.get("/evenements/", {"q": "blanchisserie"}).content.decode()
    assert "Intervenant (les 50 plus fréquents)" in html
    assert len(facet_options(html, "person")) == 50
    chosen = next(p for p in people if f'value="{p.slug}"' not in html)
    html = client.get("/evenements/", {"q": "blanchisserie", "person": chosen.slug}).content.decode()
    assert (chosen.slug, listed_count(client, "/evenements/", {"q": "blanchisserie", "person": chosen.slug})) in facet_options(html, "person")


def test_a_repeated_search_is_served_from_the_result_cache(client, django_assert_max_num_queries):
    first = client.get("/evenements/", {"q": "pôles", "sort": "-date"}).content.decode()
    with django_assert_max_num_queries(2):  # the context processor's one, and nothing else of the search
        again = client.get("/evenements/", {"q": "pôles", "sort": "-date"}).content.decode()
    assert re.findall(r'href="/evenements/([\w-]+/#?[\w-]*)"', again) == re.findall(r'href="/evenements/([\w-]+/#?[\w-]*)"', first)


def test_a_scheduled_event_is_found_once_its_time_has_come_without_any_other_change(
    client, django_capture_on_commit_callbacks
):
    import datetime

    import time_machine
    from django.utils import timezone

    opening = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(title="Assises de la photonique lacustre", status="published", publish_at=opening)
    assert hits(client, q="photonique lacustre") == []  # cached now, under the current content version
    with time_machine.travel(opening + datetime.timedelta(minutes=1)):
        assert events_of(hits(client, q="photonique lacustre")) == {event.slug}
