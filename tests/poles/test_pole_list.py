import re
from pathlib import Path

import pytest

from poles.models import Pole
from tests.factories import make_membership, make_organisation, make_pole
from tests.listing_checks import (
    assert_facet_counts_match_results,
    assert_never_a_server_error,
    listed_count,
    read_csv,
)

pytestmark = pytest.mark.django_db

CSV_NAMES = Path(__file__).resolve().parents[2] / "fixtures" / "tools" / "pole_slugs.tsv"


def _listed_slugs(client, params: dict) -> list[str]:
    slugs, page = [], 1
    while True:
        html = client.get("/poles/", {**params, "page": page}).content.decode()
        slugs += re.findall(r'<td><a href="/poles/([\w-]+)/">', html)
        if "Page suivante" not in html:
            return slugs
        page += 1


def test_it_lists_every_real_pole_current_and_former(client):
    expected = {line.split("\t")[0] for line in CSV_NAMES.read_text(encoding="utf-8").splitlines() if line}
    assert len(expected) == 91
    assert set(_listed_slugs(client, {})) == expected
    assert listed_count(client, "/poles/", {}) == 91


def test_it_shows_the_fate_of_merged_poles_with_their_successor(client):
    html = client.get("/poles/", {"q": "Vestapolis"}).content.decode()
    assert "Fusionné" in html
    assert 'href="/poles/nextmove/"' in html


@pytest.mark.parametrize(
    "query, found",
    [("lyonbiopole", "lyonbiopole"), ("LYONBIOPÔLE", "lyonbiopole"), ("orpheme", "eurobiomed"), ("lutb", "cara"),
     ("systematic paris", "systematic-paris-region"), ("Pegase", "pegase"), ("marseille", "eurobiomed")],
)
def test_free_text_ignores_case_and_accents_and_knows_former_names(client, query, found):
    assert found in _listed_slugs(client, {"q": query})


def test_filters_combine_and_stay_in_the_url(client):
    slugs = _listed_slugs(client, {"region": "auvergne-rhone-alpes", "theme": "sante", "phase": "5", "status": "active"})
    assert slugs == ["lyonbiopole"]
    html = client.get("/poles/", {"region": "occitanie", "status": "merged"}).content.decode()
    assert 'href="/poles/export.csv?region=occitanie&amp;status=merged"' in html


def test_every_filter_option_count_matches_the_rows_it_returns(client):
    assert_facet_counts_match_results(client, "/poles/", {}, ["region", "theme", "phase", "status"])
    assert_facet_counts_match_results(client, "/poles/", {"region": "occitanie"}, ["theme", "phase", "status"])


def test_it_sorts_by_founding_year_and_by_members(client):
    newest = _listed_slugs(client, {"sort": "-founded"})
    years = dict(Pole.objects.values_list("slug", "founded_year"))
    known = [years[slug] for slug in newest if years[slug]]
    assert known == sorted(known, reverse=True)
    pole = make_pole(name="Pôle aux nombreux membres")
    for _ in range(3):
        make_membership(pole, make_organisation())
    assert _listed_slugs(client, {"sort": "-members"})[0] == pole.slug


def test_the_csv_has_the_same_rows_as_the_filtered_list(client):
    params = {"region": "provence-alpes-cote-dazur", "status": "active"}
    rows = read_csv(client.get("/poles/export.csv", params))
    assert {row["nom"] for row in rows} == set(Pole.objects.filter(slug__in=_listed_slugs(client, params)).values_list("name", flat=True))
    assert all(row["sources"] for row in rows)


def test_bad_parameters_never_give_a_server_error(client):
    assert_never_a_server_error(client, "/poles/")
    response = client.get("/poles/", {"region": "atlantide"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains critères n'ont pas pu être pris en compte" in html
    assert listed_count(client, "/poles/", {"region": "atlantide"}) == 91  # the other criteria still apply
    assert client.get("/poles/export.csv", {"region": "atlantide"}).status_code == 400


def test_it_rejects_post(client):
    assert client.post("/poles/").status_code == 405


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    params = {"region": "occitanie", "theme": "sante"}
    with django_assert_max_num_queries(12) as before:
        client.get("/poles/", params)
    for _ in range(30):
        pole = make_pole(regions=None)
        make_membership(pole, make_organisation())
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/poles/", params)
    assert Pole.objects.count() > 100
