import re
from pathlib import Path

import pytest

from poles.models import Pole
from tests.factories import make_membership, make_organisation, make_pole

pytestmark = pytest.mark.django_db

CSV_NAMES = Path(__file__).resolve().parents[2] / "fixtures" / "tools" / "pole_slugs.tsv"


def _all_listed_slugs(client, query: str = "") -> list[str]:
    slugs, page = [], 1
    while True:
        response = client.get(f"/poles/?{query}&page={page}")
        assert response.status_code == 200
        slugs += re.findall(r'href="/poles/([\w-]+)/"', response.content.decode())
        if "Page suivante" not in response.content.decode():
            return slugs
        page += 1


def test_it_lists_every_real_pole_current_and_former(client):
    expected = {line.split("\t")[0] for line in CSV_NAMES.read_text(encoding="utf-8").splitlines() if line}
    assert len(expected) == 91
    listed = set(_all_listed_slugs(client))
    assert expected <= listed


def test_it_shows_the_fate_of_merged_poles_with_their_successor(client):
    response = client.get("/poles/?q=Vestapolis")
    html = response.content.decode()
    assert "Fusionné" in html
    assert 'href="/poles/nextmove/"' in html


def test_it_filters_by_region_slug(client):
    html = client.get("/poles/?region=occitanie").content.decode()
    assert "Aerospace Valley" in html
    assert "Minalogic" not in html


def test_it_finds_a_pole_by_former_name(client):
    html = client.get("/poles/?q=Orpheme").content.decode()
    assert "Eurobiomed" in html


def test_an_unknown_region_is_a_clear_message_not_a_500(client):
    response = client.get("/poles/?region=atlantide")
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()


def test_it_rejects_post(client):
    assert client.post("/poles/").status_code == 405


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as before:
        client.get("/poles/")
    for _ in range(30):
        pole = make_pole()
        make_membership(pole, make_organisation())
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/poles/")
    assert Pole.objects.count() > 100
