import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_timeline_of_phases_since_2004(client):
    response = client.get("/politique/")
    assert response.status_code == 200
    html = response.content.decode()
    for number, years in enumerate(["2005", "2009", "2013", "2019", "2023"], start=1):
        assert f'href="/politique/phase-{number}/"' in html
        assert f'<time datetime="{years}">' in html
    # 7 547 member companies in 2014, with the French thousands separator.
    assert "7\xa0547" in html
