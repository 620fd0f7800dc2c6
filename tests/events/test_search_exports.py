import json
import xml.etree.ElementTree as ET

import pytest

from tests.events.test_archive_search import hits
from tests.listing_checks import read_csv

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _urls_of_hits(client, **params) -> set[str]:
    return {f"http://testserver/evenements/{hit.replace('#', '/#', 1) if '#' in hit else hit + '/'}" for hit in hits(client, **params)}


def test_the_page_announces_its_feed_and_links_every_format(client):
    html = client.get("/evenements/", {"q": "Pellerin"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    for url in ("/evenements/recherche.csv?q=Pellerin", "/evenements/recherche.json?q=Pellerin", "/evenements/recherche.atom?q=Pellerin"):
        assert url in html


def test_csv_json_and_atom_hold_the_same_hits_as_the_page(client):
    params = {"q": "Montebourg", "after": "2012-01-01"}
    expected = _urls_of_hits(client, **params)
    assert expected
    rows = read_csv(client.get("/evenements/recherche.csv", params))
    assert {row["url"] for row in rows} == expected
    data = json.loads(client.get("/evenements/recherche.json", params).content)
    assert data["count"] == len(expected)
    assert {record["url"] for record in data["results"]} == expected
    assert all(record["date"] >= "2012-01-01" for record in data["results"])
    response = client.get("/evenements/recherche.atom", params)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    links = {entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")}
    assert links == expected


def test_bad_parameters_are_a_400_with_a_message(client):
    for path in ("/evenements/recherche.csv", "/evenements/recherche.json", "/evenements/recherche.atom"):
        response = client.get(path, {"q": "pôles", "after": "hier"})
        assert response.status_code == 400
        assert "Paramètres invalides" in response.content.decode()
        assert client.get(path, {"q": "*"}).status_code == 200
        assert client.post(path, {"q": "pôles"}).status_code == 405
