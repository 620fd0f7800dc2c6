import pytest
from django.utils.html import escape

from policy.models import Phase

pytestmark = pytest.mark.django_db


def test_each_phase_page_has_orientations_decisions_and_pole_count(client):
    for phase in Phase.objects.all():
        response = client.get(phase.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert phase.orientations.exists()
        for orientation in phase.orientations.all():
            assert escape(orientation.text) in html
        assert str(phase.poles_labelled) in html


def test_phase_three_shows_the_cese_opinion_and_the_pact_decisions(client):
    html = client.get("/politique/phase-3/").content.decode()
    assert "/politique/rapports/avis-cese-2017/" in html
    report_html = client.get("/politique/rapports/avis-cese-2017/").content.decode()
    assert report_html.count("<li value=") == 12
