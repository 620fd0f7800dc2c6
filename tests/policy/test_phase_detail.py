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


def test_query_counts_do_not_grow_with_labelled_poles_or_recommendations(client, django_assert_max_num_queries):
    from policy.models import Phase, Recommendation, Report
    from poles.models import PoleLabel
    from tests.factories import make_pole

    with django_assert_max_num_queries(12) as phase_before:
        client.get("/politique/phase-4/")
    with django_assert_max_num_queries(8) as report_before:
        client.get("/politique/rapports/avis-cese-2017/")
    phase = Phase.objects.get(number=4)
    for _ in range(15):
        PoleLabel.objects.create(pole=make_pole(), phase=phase)
    report = Report.objects.get(slug="avis-cese-2017")
    for number in range(13, 25):
        Recommendation.objects.create(report=report, number=number, text=f"Recommandation d'essai {number}")
    with django_assert_max_num_queries(len(phase_before.captured_queries)):
        html = client.get("/politique/phase-4/").content.decode()
    assert html.count("Pôle d&#x27;essai") == 15
    with django_assert_max_num_queries(len(report_before.captured_queries)):
        html = client.get("/politique/rapports/avis-cese-2017/").content.decode()
    assert html.count("<li value=") == 24


def test_the_english_page_of_a_phase_shows_its_english_summary_or_the_french_one_marked(client):
    phase = Phase.objects.get(number=3)
    url = phase.get_absolute_url()
    html = client.get(f"/en{url}").content.decode()
    assert '<html lang="en"' in html
    assert f'<p class="fr-text--lead" lang="fr">{escape(phase.summary)}</p>' in html
    assert "Available in French only" in html
    phase.summary_en = "The third phase, in English."
    phase.save()
    html = client.get(f"/en{url}").content.decode()
    assert '<p class="fr-text--lead">The third phase, in English.</p>' in html
    assert "Available in French only" not in html
    assert escape(phase.summary) in client.get(url).content.decode()
