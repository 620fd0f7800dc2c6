import re

import pytest

from poles.models import Pole, Region
from tests.factories import make_pole
from tests.listing_checks import listed_count

pytestmark = pytest.mark.django_db


def test_it_answers_what_a_pole_is_how_many_where_and_whats_new(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert html.count("<h1") == 1
    assert "<main" in html
    active = Pole.objects.published().filter(fate="active").count()
    assert f"{active} pôles en activité" in html
    assert 'role="search"' in html
    assert '<time datetime="2023-03-27">' in html  # the latest event of the archive


def test_the_map_has_one_tile_per_region_linking_to_its_poles_with_the_right_count(client):
    html = client.get("/").content.decode()
    tiles = re.findall(r'<a href="/poles/\?region=([\w-]+)" aria-label="[^"]*?(\d+) pôles?">', html)
    assert {slug for slug, _ in tiles} == set(Region.objects.values_list("slug", flat=True))
    for slug, count in tiles:
        assert listed_count(client, "/poles/", {"region": slug}) == int(count)
    # The same facts as a plain list, for those who do not see the picture.
    assert html.count('<li><a href="/poles/?region=') == Region.objects.count()


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as before:
        client.get("/")
    for _ in range(20):
        make_pole()
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/")


def test_it_rejects_post(client):
    assert client.post("/").status_code == 405
