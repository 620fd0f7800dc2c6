import pytest

pytestmark = pytest.mark.django_db


def test_it_answers_what_a_pole_is_and_how_many(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert html.count("<h1") == 1
    assert "<main" in html
    assert "pôles en activité" in html
    # The latest event of the archive is listed with a machine-readable date.
    assert '<time datetime="' in html


def test_it_rejects_post(client):
    assert client.post("/").status_code == 405
