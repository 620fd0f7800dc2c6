"""An API client asks the lists of the site in JSON: same parameters and same counts as the pages, page after page,
a clear 400 for what it got wrong."""

from __future__ import annotations

import pytest

from poles.models import Organisation, Pole, Region, Theme
from tests.factories import make_membership, make_organisation, make_pole
from tests.listing_checks import HOSTILE_PARAMS, facet_options, listed_count
from tests.opendata.conftest import MARKER, body, read_json

pytestmark = pytest.mark.django_db


def api_count(client, path: str, params: dict) -> int:
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.content[:300])
    return response.json()["count"]


def every_result(client, path: str, params: dict) -> list[dict]:
    """Follow `next` from the first page to the last, as a client would."""
    response = client.get(path, params)
    results = []
    while True:
        page = response.json()
        results += page["results"]
        if page["next"] is None:
            return results
        assert page["next"].startswith("http://testserver/api/v1/")
        response = client.get(page["next"])
        assert response.status_code == 200


@pytest.fixture
def members():
    pole, other = make_pole(name="Pôle témoin", slug="pole-temoin"), make_pole(name="Autre pôle", slug="autre-pole")
    region = Region.objects.get(slug="bourgogne-franche-comte")
    made = [
        make_organisation(name="Fonderie Lévêque", size_class="pme", city="Besançon", region=region),
        make_organisation(name="Groupe Industriel", size_class="ge"),
        make_organisation(name="Laboratoire des matériaux", kind="research", region=region),
        make_organisation(name="Microtechniques du Doubs", size_class="tpe", region=region),
    ]
    for organisation in made:
        make_membership(pole, organisation)
    make_membership(other, made[0])
    return made


def pole_combinations() -> list[dict]:
    theme = Theme.objects.filter(poles__isnull=False).order_by("slug").first().slug
    region = Region.objects.filter(poles__isnull=False).order_by("slug").first().slug
    return [
        {}, {"status": "active"}, {"status": "merged"}, {"region": region}, {"theme": theme},
        {"region": region, "status": "active"}, {"phase": "4"}, {"phase": "1", "theme": theme}, {"q": "aero"},
        {"q": "lyonbiopole"}, {"sort": "-members", "status": "active"}, {"sort": "founded", "region": region},
        {"region": "", "theme": "", "q": ""},
    ]


def test_pole_counts_are_the_list_page_counts_for_the_same_filters(client):
    for params in pole_combinations():
        assert api_count(client, "/api/v1/poles/", params) == listed_count(client, "/poles/", params), params


def test_every_filter_option_gives_the_count_the_page_shows_for_it(client, members):
    for path, names, base in [("/poles/", ["region", "theme", "phase", "status"], {}),
                              ("/poles/", ["region", "theme"], {"status": "active"}),
                              ("/membres/", ["pole", "kind", "size", "region"], {}),
                              ("/membres/", ["kind", "size"], {"pole": "pole-temoin"}),
                              ("/evenements/", ["year", "kind", "pole"], {})]:
        html = client.get(path, base).content.decode()
        for name in names:
            options = facet_options(html, name)
            assert options, (path, name)
            for value, count in options:
                assert api_count(client, f"/api/v1{path}", {**base, name: value}) == count, (path, name, value)


def test_member_and_event_counts_are_the_list_page_counts(client, members):
    for params in [{}, {"pole": "pole-temoin"}, {"pole": "pole-temoin", "kind": "company", "size": "pme"},
                   {"q": "leveque"}, {"q": "besancon fonderie"},
                   {"region": "bourgogne-franche-comte", "kind": "research"}]:
        assert api_count(client, "/api/v1/membres/", params) == listed_count(client, "/membres/", params), params
    pole = Pole.objects.filter(sessions__isnull=False).order_by("slug").first().slug
    for params in [{}, {"year": "2014"}, {"kind": "journee-nationale"}, {"pole": pole},
                   {"kind": "atelier", "year": "2016"}]:
        assert api_count(client, "/api/v1/evenements/", params) == listed_count(client, "/evenements/", params), params


@pytest.mark.parametrize("params", [
    {"q": "industrie"}, {"q": "PME", "year": "2014"}, {"q": "pôles", "kind": "journee-nationale"},
    {"q": "innovation", "sort": "-date"}, {"q": "Pellerin"}, {"q": '"pôles de compétitivité" -europe'},
    {"q": "pôles", "after": "2014-01-01", "before": "2016-12-31", "session_kind": "round-table"},
])
def test_archive_search_counts_and_hits_are_the_search_page_ones(client, params):
    from tests.events.test_archive_search import hits

    found = every_result(client, "/api/v1/recherche/", {**params, "page_size": 7})
    assert len(found) == api_count(client, "/api/v1/recherche/", params) == listed_count(client, "/evenements/", params)
    assert [f"{r['event']}#{r['anchor']}" if r["anchor"] else r["event"] for r in found] == hits(client, **params)


def test_a_client_pages_through_every_pole_once_in_the_list_order(client):
    found = every_result(client, "/api/v1/poles/", {"page_size": 7, "sort": "-members"})
    assert len(found) == Pole.objects.published().count() == client.get("/api/v1/poles/").json()["count"]
    assert len({record["slug"] for record in found}) == len(found)
    members = [record["member_count"] for record in found]
    assert members == sorted(members, reverse=True)
    # Each record is the row of the dataset.
    dataset = {record["slug"]: record for record in read_json(client.get("/donnees/poles.json"))}
    assert all(record == dataset[record["slug"]] for record in found)


def test_pages_say_where_they_are(client):
    first = client.get("/api/v1/poles/", {"status": "active", "page_size": 5}).json()
    assert first["page"] == 1 and first["page_size"] == 5 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/poles/?status=active&page_size=5&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/poles/?status=active&page_size=5&page=1"
    assert client.get("/api/v1/poles/").json()["page_size"] == 20


@pytest.mark.parametrize("params, wrong", [
    ({"page_size": "101"}, "page_size"), ({"page_size": "0"}, "page_size"), ({"page": "0"}, "page"),
    ({"page": "abc"}, "page"), ({"region": "atlantide"}, "region"), ({"status": "vivant"}, "status"),
    ({"phase": "abc"}, "phase"), ({"sort": "name; DROP TABLE"}, "sort"), ({"q": "x" * 300}, "q"),
])
def test_a_bad_parameter_is_a_400_that_names_it(client, params, wrong):
    response = client.get("/api/v1/poles/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()
    assert error["error"] == "Paramètres invalides."
    assert list(error["errors"]) == [wrong] and error["errors"][wrong][0]


def test_bad_parameters_of_every_list_are_400s_never_500s(client):
    for path in ("/api/v1/poles/", "/api/v1/membres/", "/api/v1/evenements/", "/api/v1/recherche/"):
        for params in [*HOSTILE_PARAMS, {"year": "1800"}, {"after": "2013-02-30"}, {"pole": "inconnu"},
                       {"page": "999999999999"}, {"person": "<b>x</b>"}]:
            response = client.get(path, {"q": "pôles", **params} if path.endswith("recherche/") else params)
            assert response.status_code in {200, 400, 404}, (path, params, response.status_code)
            assert response["Content-Type"] == "application/json"
            assert "error" in response.json() or "results" in response.json()


def test_the_search_needs_words_to_look_for(client):
    response = client.get("/api/v1/recherche/", {"q": "  "})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["q"]
    assert client.get("/api/v1/recherche/", {"q": "*"}).json()["count"] == 0  # nothing searchable: no hit


def test_a_page_past_the_last_is_a_404(client):
    count = client.get("/api/v1/poles/").json()["count"]
    response = client.get("/api/v1/poles/", {"page": count // 20 + 2})
    assert response.status_code == 404 and response.json() == {"error": "Cette page de résultats n'existe pas."}
    assert client.get("/api/v1/membres/", {"q": "introuvablexyz"}).json() == {
        "count": 0, "page": 1, "page_size": 20, "next": None, "previous": None, "results": []}


def test_details_give_the_dataset_row_and_what_belongs_to_it(client, members):
    pole = client.get("/api/v1/poles/aerospace-valley/").json()
    assert pole["name"] == "Aerospace Valley" and pole["url"] == "http://testserver/poles/aerospace-valley/"
    slug = Organisation.objects.get(name="Fonderie Lévêque").slug
    member = client.get(f"/api/v1/membres/{slug}/").json()
    assert member["pole_count"] == 2
    assert {m["pole"] for m in member["memberships"]} == {"pole-temoin", "autre-pole"}
    event = client.get("/api/v1/evenements/13e-journee-nationale-des-poles-2014/").json()
    assert event["session_count"] == len(event["sessions"]) > 1
    assert [s["order"] for s in event["sessions"]] == sorted(s["order"] for s in event["sessions"])
    assert {a["session"] for a in event["appearances"]} <= {s["anchor"] for s in event["sessions"]}


def test_a_hidden_or_unknown_item_is_a_json_404(client, hidden):
    for path in [f"/api/v1/poles/pole-{MARKER}-draft/", f"/api/v1/membres/organisation-{MARKER}-scheduled/",
                 f"/api/v1/evenements/evenement-{MARKER}-deleted/", "/api/v1/poles/inconnu/", "/api/v1/poles/a%0Ab/",
                 "/api/v1/poles/a/b/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"error": "Aucun élément public n'a cet identifiant."}


def test_nothing_the_public_may_not_see_is_in_any_answer(client, hidden):
    for path in ("/api/v1/poles/", "/api/v1/membres/", "/api/v1/evenements/"):
        assert MARKER not in body(client.get(path, {"page_size": 100}))
    assert MARKER not in body(client.get("/api/v1/poles/pole-temoin-donnees/"))
    assert MARKER not in body(client.get("/api/v1/evenements/evenement-temoin-donnees/"))
    assert MARKER not in body(client.get("/api/v1/recherche/", {"q": MARKER}))
    assert client.get("/api/v1/recherche/", {"q": MARKER}).json()["count"] == 0


def test_answers_are_cached_revalidated_and_readable_from_any_site(client, django_assert_num_queries):
    first = client.get("/api/v1/poles/", {"region": "occitanie"})
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Cache-Control"] == "no-cache" and first["ETag"]
    with django_assert_num_queries(0):
        again = client.get("/api/v1/poles/", {"region": "occitanie"})
    assert again.content == first.content
    assert client.get("/api/v1/poles/", {"region": "occitanie"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_page_costs_the_same_few_queries_whatever_the_data(client, members, django_assert_max_num_queries):
    def ask():
        for path, params in [("/api/v1/membres/", {"kind": "company", "pole": "pole-temoin"}),
                             ("/api/v1/poles/", {"region": "occitanie", "sort": "-members"}),
                             ("/api/v1/evenements/", {"kind": "atelier"})]:
            assert client.get(path, params).status_code == 200

    with django_assert_max_num_queries(12) as before:
        ask()
    pole = Pole.objects.get(slug="pole-temoin")
    for _ in range(40):
        make_membership(pole, make_organisation())
    with django_assert_max_num_queries(len(before.captured_queries)):
        ask()


def test_only_reads_are_answered(client):
    assert client.post("/api/v1/poles/").status_code in {403, 405}
    assert client.head("/api/v1/poles/").status_code == 200
