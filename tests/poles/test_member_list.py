import pytest
from django.utils.html import escape

from poles.models import Organisation
from tests.factories import make_membership, make_organisation, make_pole

pytestmark = pytest.mark.django_db


def test_it_lists_the_organisations_the_sources_name(client):
    response = client.get("/membres/")
    assert response.status_code == 200
    names = list(Organisation.objects.published().values_list("name", flat=True)[:5])
    html = response.content.decode()
    assert names and all(escape(name) in html for name in names)


def test_it_filters_by_pole_kind_and_size(client):
    pole = make_pole()
    sme = make_organisation(name="Fonderie d'essai", size_class="pme")
    large = make_organisation(name="Groupe d'essai", size_class="ge")
    make_membership(pole, sme)
    make_membership(pole, large)
    html = client.get(f"/membres/?pole={pole.slug}&kind=company&size=pme").content.decode()
    assert "Fonderie d&#x27;essai" in html
    assert "Groupe d&#x27;essai" not in html


def test_a_bad_page_number_is_a_404_not_a_500(client):
    assert client.get("/membres/?page=abc").status_code == 404
    assert client.get("/membres/?page=999999").status_code == 404
