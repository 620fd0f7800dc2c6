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


def test_an_unknown_english_page_is_a_404_in_english(client):
    response = client.get("/en/this-page-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html and html.count("<h1") == 1
    assert "Page not found" in html and "Page introuvable" not in html
    assert 'href="/en/poles/"' in html


@pytest.mark.parametrize(
    "language, title, home",
    [("fr", "Le site rencontre un problème", 'href="/"'), ("en", "Something went wrong", 'href="/en/"')],
)
def test_the_500_and_503_pages_speak_the_language_of_the_address(language, title, home):
    from django.utils import translation

    with translation.override(language):
        server_error, unavailable = render_to_string("500.html"), render_to_string("503.html")
    for html in (server_error, unavailable):
        assert f'<html lang="{language}">' in html and home in html
    assert title in server_error


def test_a_database_outage_answers_in_the_language_of_the_address(client, monkeypatch):
    from django.db import OperationalError

    from poles import views

    def unavailable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.Region.objects, "with_pole_counts", unavailable)
    response = client.get("/en/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()
