import datetime
import re

import pytest
import time_machine
from django.utils.html import escape

from poles.content import PublicationStatus
from policy.models import Decision, Phase, Report
from tests.policy.factories import make_decision, make_report

pytestmark = pytest.mark.django_db

URL = "/politique/"


def _timeline(html: str) -> str:
    start = html.index('aria-labelledby="timeline-title"')
    return html[start : html.index("</ol>\n\n<h2", start)]


def test_it_shows_the_timeline_of_phases_since_2004(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for number, years in enumerate(["2005", "2009", "2013", "2019", "2023"], start=1):
        assert f'href="/politique/phase-{number}/"' in html
        assert f'<time datetime="{years}">' in html
    assert '<time datetime="2004-09-14">14 septembre 2004</time>' in html  # the launch of the policy


def test_it_is_one_ordered_list_in_date_order(client):
    timeline = _timeline(client.get(URL).content.decode())
    assert timeline.startswith('aria-labelledby="timeline-title"')
    dates = re.findall(r'<li><time datetime="([\d-]+)">', timeline)
    assert len(dates) == Decision.objects.published().count() + Report.objects.published().count()
    assert dates == sorted(dates)
    # The phases are the periods, in order.
    periods = re.findall(r'<h3[^>]*>\s*<a href="/politique/(phase-\d)/">', timeline)
    assert periods == [f"phase-{n}" for n in range(1, 6)]


def test_each_decision_has_its_date_title_and_a_link_to_its_phase(client):
    timeline = _timeline(client.get(URL).content.decode())
    for decision in Decision.objects.published().select_related("phase"):
        item = re.search(rf"<li>[^\n]*{re.escape(escape(decision.title))}[^\n]*</li>", timeline).group(0)
        assert f'<time datetime="{decision.date:%Y}' in item
        if decision.phase:
            assert f'<a href="{decision.phase.get_absolute_url()}">{decision.phase.name}</a>' in item
    # Announced during phase III, the fourth phase is placed at its date and links to phase IV.
    start, end = (
        timeline.index('href="/politique/phase-3/"'),
        timeline.index('href="/politique/phase-4/">Phase IV</a> :'),
    )
    phase_three = timeline[start:end]
    assert "Annonce de la quatrième phase" in phase_three


def test_each_report_links_to_its_page(client):
    timeline = _timeline(client.get(URL).content.decode())
    for report in Report.objects.published():
        assert f'<a href="{report.get_absolute_url()}">{escape(report.title)}</a>' in timeline
    assert "Contrôle de la Cour des comptes" in timeline  # the kind of each report


def test_it_links_to_the_key_figures_and_the_comparison(client):
    html = client.get(URL).content.decode()
    assert 'href="/politique/chiffres-cles/"' in html
    assert 'href="/politique/comparer/"' in html


@time_machine.travel(datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC))
def test_it_ends_today_with_the_current_phase(client):
    html = client.get(URL).content.decode()
    assert 'Aujourd\'hui : <time datetime="2024-05-01">1 mai 2024</time>' in html
    assert "La Phase V est en cours" in html


def test_unpublished_items_stay_off_the_timeline(client):
    draft = make_decision(title="Décision en brouillon", status=PublicationStatus.DRAFT)
    hidden = make_report(title="Rapport en brouillon", status=PublicationStatus.DRAFT)
    html = client.get(URL).content.decode()
    assert draft.title not in html and hidden.title not in html


def test_a_decision_outside_any_phase_gets_its_own_period(client):
    make_decision(title="Décision d'après les phases", date=datetime.date(2031, 2, 3), phase=None)
    timeline = _timeline(client.get(URL).content.decode())
    last = Phase.objects.order_by("-number").first()
    assert f"Après la {last.name}" in timeline
    assert timeline.index(f"Après la {last.name}") < timeline.index("Décision d&#x27;après les phases")


def test_the_page_has_one_h1_and_breadcrumbs(client):
    html = client.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert 'aria-current="page">Politique</a>' in html


def test_it_only_answers_get_and_head(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as before:  # phases, decisions, reports, plus the site banner check
        assert client.get(URL).status_code == 200
    for number in range(1, 6):
        make_decision(phase=Phase.objects.get(number=number))
        make_report(phase=Phase.objects.get(number=number))
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(URL).content.decode()
    assert html.count("Rapport d&#x27;essai") == 5
