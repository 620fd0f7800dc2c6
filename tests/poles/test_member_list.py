import pytest
from django.utils.html import escape

from poles.models import Organisation
from tests.factories import make_membership, make_organisation, make_pole
from tests.listing_checks import (
    assert_facet_counts_match_results,
    assert_never_a_server_error,
    listed_count,
    read_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    pole = make_pole(name="Pôle témoin", slug="pole-temoin")
    other = make_pole(name="Autre pôle", slug="autre-pole")
    made = {
        "sme": make_organisation(name="Fonderie Lévêque", size_class="pme", city="Besançon"),
        "large": make_organisation(name="Groupe Industriel", size_class="ge"),
        "lab": make_organisation(name="Laboratoire des matériaux", kind="research"),
    }
    for organisation in made.values():
        make_membership(pole, organisation)
    make_membership(other, made["sme"])
    return made


def test_it_lists_the_organisations_the_sources_name(client):
    response = client.get("/membres/")
    assert response.status_code == 200
    names = list(Organisation.objects.published().values_list("name", flat=True)[:5])
    html = response.content.decode()
    assert names and all(escape(name) in html for name in names)


def test_it_filters_by_pole_kind_size_and_accent_free_text(client, members):
    html = client.get("/membres/", {"pole": "pole-temoin", "kind": "company", "size": "pme"}).content.decode()
    assert "Fonderie Lévêque" in html
    assert "Groupe Industriel" not in html
    assert listed_count(client, "/membres/", {"q": "leveque"}) == 1
    assert listed_count(client, "/membres/", {"q": "besancon fonderie"}) == 1


def test_every_filter_option_count_matches_the_rows_it_returns(client, members):
    assert_facet_counts_match_results(client, "/membres/", {}, ["pole", "kind", "size"])
    assert_facet_counts_match_results(client, "/membres/", {"pole": "pole-temoin"}, ["kind", "size"])


def test_the_csv_has_the_same_rows_as_the_filtered_list(client, members):
    rows = read_csv(client.get("/membres/export.csv", {"pole": "pole-temoin"}))
    assert {row["nom"] for row in rows} == {"Fonderie Lévêque", "Groupe Industriel", "Laboratoire des matériaux"}
    fonderie = next(row for row in rows if row["nom"] == "Fonderie Lévêque")
    assert fonderie["pôles"] == "Autre pôle; Pôle témoin"


def test_bad_parameters_never_give_a_server_error(client):
    assert_never_a_server_error(client, "/membres/")


def test_query_count_does_not_grow_with_the_data(client, members, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as before:
        client.get("/membres/", {"kind": "company"})
    pole = make_pole()
    for _ in range(40):
        make_membership(pole, make_organisation())
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/membres/", {"kind": "company"})
