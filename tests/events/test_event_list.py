import re

import pytest

from events.models import Event

pytestmark = pytest.mark.django_db


def test_it_lists_the_events_newest_first_with_true_dates(client):
    response = client.get("/evenements/")
    assert response.status_code == 200
    html = response.content.decode()
    dates = re.findall(r'<time datetime="([\d-]+)"', html)
    assert dates == sorted(dates, reverse=True)
    assert '<time datetime="2014-01-24">24 janvier 2014</time>' in html
    assert '<time datetime="2012-12-04">4 décembre 2012</time>' in html


def test_it_filters_by_year_kind_and_pole(client):
    html = client.get("/evenements/?year=2014").content.decode()
    assert "2014-01-24" in html and "2012-12-04" not in html
    html = client.get("/evenements/?pole=aerospace-valley").content.decode()
    assert Event.objects.filter(sessions__poles__slug="aerospace-valley").first().title in html
    html = client.get("/evenements/?kind=atelier").content.decode()
    assert "2013-06-17" in html and "2014-01-24" not in html


def test_a_bad_year_is_a_form_error_not_a_500(client):
    response = client.get("/evenements/?year=deux-mille")
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()
