import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_helpful_404_in_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Page introuvable" in html
    assert 'href="/poles/"' in html


def test_a_page_past_the_end_of_a_list_is_the_same_404(client):
    response = client.get("/poles/?page=999999")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert '<html lang="fr">' in html
    assert "Le site rencontre un problème" in html
