"""/donnees/ and /api/: what a re-user reads before downloading, laid out as every page of the site."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from opendata.datasets import DATASETS
from poles.models import Pole, Region
from tests.opendata.conftest import read_json

pytestmark = pytest.mark.django_db

LICENCE = 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"'


def test_the_data_page_offers_every_dataset_its_dictionary_and_its_licence(client):
    html = client.get("/donnees/").content.decode()
    assert html.count("<h1") == 1 and html.count("<main") == 1
    assert "<title>Données ouvertes — Pôles de compétitivité</title>" in html
    assert 'class="fr-breadcrumb__link" aria-current="page">Données ouvertes</a>' in html
    assert LICENCE in html and "Licence Ouverte / Open Licence 2.0" in html
    for dataset in DATASETS.values():
        assert f'href="/donnees/{dataset.slug}.csv" download' in html
        assert f'href="/donnees/{dataset.slug}.json" download' in html
        assert f'<h2 id="{dataset.slug}">{dataset.title}</h2>' in html
        section = html[html.index(f'<h2 id="{dataset.slug}">'):]
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in section, (dataset.slug, column.name)
    assert '<code>merged</code> : Fusionné' in html  # codes are explained
    # Works without JavaScript: every link is a plain link, nothing is hidden behind a script.
    assert "aria-expanded" not in html[html.index("<main"):html.index("</main>")]


def test_each_dataset_gives_the_date_of_its_last_change(client):
    with time_machine.travel(datetime.datetime(2031, 3, 4, 10, tzinfo=datetime.UTC)):
        region = Region.objects.get(slug="bretagne")
        region.save()
        html = client.get("/donnees/").content.decode()
    rows = dict(re.findall(r'<th scope="row"><a href="#([\w-]+)">[^<]+</a></th>\s*<td>(.*?)</td>', html))
    assert rows["regions"] == '<time datetime="2031-03-04">4 mars 2031</time>'
    assert rows["poles"] == '<time datetime="2031-03-04">4 mars 2031</time>'  # pôles name their regions
    assert rows["chiffres-cles"] != rows["regions"]
    assert set(rows) == set(DATASETS) and all(date.startswith("<time datetime=") for date in rows.values())
    for value in re.findall(r'<time datetime="([^"]+)"', html):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)


def test_a_change_moves_the_date_of_the_datasets_that_show_it_and_only_them(client):
    def dates() -> dict:
        return {d["slug"]: d["last_change"] for d in read_json(client.get("/donnees/dictionnaire.json"))["datasets"]}

    before = dates()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        pole = Pole.objects.get(slug="cara")
        pole.summary += " Modifié."
        pole.save()
        after = dates()
    moved = {slug for slug in before if after[slug] != before[slug]}
    assert moved == {"poles", "membres", "adhesions", "sequences"}


def test_the_api_page_documents_every_list_with_its_parameters(client):
    html = client.get("/api/").content.decode()
    assert html.count("<h1") == 1 and html.count("<main") == 1
    assert "<title>API des pôles de compétitivité — Pôles de compétitivité</title>" in html
    assert 'href="/donnees/">Données ouvertes</a>' in html
    assert 'aria-current="page">API</a>' in html
    assert 'href="/api/v1/openapi.json"' in html and LICENCE in html
    for path, parameters in [("/api/v1/poles/", ["q", "region", "theme", "phase", "status", "sort", "page",
                                                 "page_size"]),
                             ("/api/v1/membres/", ["q", "pole", "region", "kind", "size"]),
                             ("/api/v1/evenements/", ["year", "kind", "pole"]),
                             ("/api/v1/recherche/", ["q", "after", "before", "person", "organisation", "sort"])]:
        section = html[html.index(f"<code>{path}</code></h3>"):]
        section = section[:section.index("</section>")]
        for name in parameters:
            assert f"<code>{name}</code>" in section, (path, name)
    assert "active, merged, delabelled, dissolved" in html
    # Every example answers.
    for example in re.findall(r'Exemple : <a href="([^"]+)"', html):
        assert client.get(example.replace("&amp;", "&")).status_code == 200, example


def test_the_footer_the_site_map_and_the_sitemap_lead_to_the_data(client):
    footer = client.get("/").content.decode().split('<footer class="fr-footer"')[1]
    assert 'href="/donnees/">Données ouvertes et API</a>' in footer
    site_map = client.get("/plan-du-site/").content.decode()
    assert 'href="/donnees/"' in site_map and 'href="/api/"' in site_map
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/donnees/</loc>" in sitemap and "<loc>http://testserver/api/</loc>" in sitemap


def test_the_pages_cost_a_few_queries_and_answer_only_reads(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the last changes (one statement), the synthetic-data check
        assert client.get("/donnees/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/").status_code == 200
    assert client.post("/donnees/").status_code in {403, 405}
    assert client.post("/api/").status_code in {403, 405}
