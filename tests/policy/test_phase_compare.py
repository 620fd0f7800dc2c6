import re

import pytest
from django.utils.html import escape

from poles.content import PublicationStatus
from poles.models import Pole, PoleLabel, Region
from policy.models import Phase
from tests.factories import make_pole
from tests.policy.factories import label, make_former_name

pytestmark = pytest.mark.django_db

URL = "/politique/comparer/"


def _page(client, params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, title_id: str) -> str:
    start = html.index(f'aria-labelledby="{title_id}"')
    return html[start : html.index("</section>", start)]


def _linked_slugs(html: str) -> set[str]:
    return set(re.findall(r'<a href="/poles/([\w-]+)/">', html))


def _dropped_group(dropped: str, heading: str) -> str:
    """The list under one of the "pôles sortis" sub-headings (merged, delabelled, dissolved, other)."""
    start = dropped.index(heading)
    return dropped[start : dropped.index("</ul>", start)]


def _region_rows(html: str) -> dict[str, tuple[int, int]]:
    body = re.search(r"<tbody>.*?</tbody>", _section(html, "regions-title"), flags=re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(.*?)</td><td>(.*?)</td>', body)
    count = lambda cell: int(re.sub(r"<[^>]+>", "", cell))  # noqa: E731 — a count, linked to its pôles when not 0
    return {name: (count(first), count(second)) for name, first, second in rows}


def _labels(number: int, region: Region | None = None) -> int:
    labels = PoleLabel.objects.filter(phase__number=number, pole__in=Pole.objects.published())
    return (labels.filter(pole__regions=region) if region else labels).count()


def test_it_compares_the_last_two_phases_by_default(client):
    html = _page(client, {})
    assert '<option value="4" selected>' in html
    assert '<option value="5" selected>' in html
    assert "Phase IV et Phase V côte à côte" in html  # the page title names the phases


def test_from_phase_three_to_four_imaginove_leaves_and_vegepolys_valley_arrives(client):
    html = _page(client, {"de": 3, "a": 4})
    added = _section(html, "added-title")
    dropped = _section(html, "dropped-title")
    assert "vegepolys-valley" in _linked_slugs(added)
    assert "imaginove" not in _linked_slugs(added)
    assert "imaginove" in _linked_slugs(_dropped_group(dropped, "Dissous ou non relabellis"))
    # Every pôle labelled in phase III and not in IV is listed once, and only those.
    in_three = set(Pole.objects.published().filter(labels__phase__number=3).values_list("slug", flat=True))
    in_four = set(Pole.objects.published().filter(labels__phase__number=4).values_list("slug", flat=True))
    assert _linked_slugs(added) == in_four - in_three
    named = set(re.findall(r'<li><a href="/poles/([\w-]+)/">', dropped))
    assert named == in_three - in_four
    assert "6 pôles entrés" in added and f"{len(in_three - in_four)} pôles sortis" in dropped


def test_merged_poles_link_to_their_successor(client):
    dropped = _section(_page(client, {"de": 3, "a": 4}), "dropped-title")
    merged = _dropped_group(dropped, "Fusionnés dans un autre pôle")
    item = re.search(r'<li><a href="/poles/cereales-vallee/">.*?</li>', merged, flags=re.S).group(0)
    assert "successeur" in item and 'href="/poles/vegepolys-valley/"' in item
    assert '<time datetime="2019">2019</time>' in item
    for pole in Pole.objects.filter(slug__in=re.findall(r'<li><a href="/poles/([\w-]+)/">', merged)):
        assert pole.fate == Pole.Fate.MERGED


def test_poles_delabelled_in_2010_show_up_between_phases_two_and_three(client):
    dropped = _section(_page(client, {"de": 2, "a": 3}), "dropped-title")
    delabelled = _linked_slugs(_dropped_group(dropped, "retiré"))
    assert {"innoviandes", "genie-civil-ecoconstruction"} <= delabelled


def test_renames_between_the_two_phases_are_listed_with_their_year(client):
    renamed = _section(_page(client, {"de": 3, "a": 4}), "renamed-title")
    assert '« Pôle Nucléaire Bourgogne », nom quitté en <time datetime="2017">2017</time>' in renamed
    assert 'href="/poles/nuclear-valley/"' in renamed and 'href="/poles/biovalley-france/"' in renamed
    # Orpheme became Eurobiomed on 1 January 2009, at the start of phase II: a change between I and II only.
    assert "Orpheme" in _section(_page(client, {"de": 1, "a": 2}), "renamed-title")
    assert "Orpheme" not in renamed
    later = _section(_page(client, {"de": 4, "a": 5}), "renamed-title")
    assert escape("Mov'eo") in later and 'href="/poles/nextmove/"' in later


def test_counts_per_region_equal_the_number_of_labels(client):
    for first, second in [(3, 4), (1, 5), (2, 3)]:
        rows = _region_rows(_page(client, {"de": first, "a": second}))
        assert len(rows) == Region.objects.count()
        for region in Region.objects.all():
            assert rows[escape(region.name)] == (_labels(first, region), _labels(second, region)), region.name
    html = _page(client, {"de": 3, "a": 4})
    total = f"Ensemble des pôles, chacun compté une fois</th><td>{_labels(3)}</td><td>{_labels(4)}</td>"
    assert total in html
    # Each count links to the list of those pôles.
    assert 'href="/poles/?region=auvergne-rhone-alpes&amp;phase=3"' in html


def test_phases_given_in_reverse_order_are_put_back_in_order(client):
    html = _page(client, {"de": 4, "a": 3})
    assert "dans l'ordre chronologique" in html
    assert "vegepolys-valley" in _linked_slugs(_section(html, "added-title"))


def test_the_same_phase_twice_gets_a_clear_message(client):
    html = _page(client, {"de": 3, "a": 3})
    assert "Une seule phase choisie" in html
    assert "Choisissez deux phases différentes" in html
    assert 'id="regions-title"' not in html


@pytest.mark.parametrize(
    "query",
    [
        "de=abc&a=4",
        "de=9&a=4",
        "de=3&de=4&a=5",
        "de=&de=&a=4",
        "de=" + "7" * 5000 + "&a=4",
        "de=%00&a=4",
        "de=3&a=%3Cscript%3Ealert(1)%3C/script%3E",
        "de=-1&a=1e3",
        "de=%C3%A9%F0%9F%98%80&a=4",
    ],
)
def test_bad_parameters_give_a_form_error_never_a_server_error(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200  # like the filtered lists: the page, its form and what to fix
    html = response.content.decode()
    assert "Ces phases ne peuvent pas être comparées" in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert "<title>Erreur : " in html
    # Nothing typed is echoed back.
    assert "7" * 100 not in html and "<script>alert" not in html and "\x00" not in html
    assert 'id="regions-title"' not in html


def test_a_repeated_parameter_is_named_as_such(client):
    html = client.get(f"{URL}?de=3&de=4").content.decode()
    assert "donné plusieurs fois" in html


def test_empty_parameters_mean_the_defaults(client):
    html = _page(client, {"de": "", "a": ""})
    assert '<option value="4" selected>' in html and '<option value="5" selected>' in html


def test_it_only_answers_get_and_head(client):
    assert client.post(URL, {"de": 3, "a": 4}).status_code == 405
    assert client.head(URL).status_code == 200


def test_the_page_has_one_h1_breadcrumbs_and_a_dsfr_form(client):
    html = _page(client, {"de": 3, "a": 4})
    assert html.count("<h1") == 1
    assert 'href="/politique/">Politique</a>' in html
    assert '<form method="get" action="/politique/comparer/"' in html
    assert html.count('class="fr-select"') == 2
    assert '<label for="id_de" class="fr-label">' in html


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    params = {"de": 3, "a": 4}
    with django_assert_max_num_queries(10) as before:  # 7 for the page, plus the site banner check
        _page(client, params)
    regions = list(Region.objects.all()[:3])
    for n in range(8):
        successor = label(make_pole(regions=regions), 4)
        dropped = label(make_pole(regions=regions[:2], fate=Pole.Fate.MERGED, successor=successor), 3)
        kept = label(make_pole(regions=regions[1:]), 3, 4)
        make_former_name(kept, f"Ancien nom d'essai {n}", until=2016)
        make_former_name(dropped, f"Autre nom d'essai {n}", until=2018)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = _page(client, params)
    assert html.count("Ancien nom d&#x27;essai") == 8  # the new rows are really on the page
    assert html.count("fusion en") > 8


def test_with_a_single_published_phase_it_says_there_is_nothing_to_compare(client):
    Phase.objects.exclude(number=5).update(status=PublicationStatus.DRAFT)
    html = _page(client, {})
    assert "Une seule phase choisie" in html
    Phase.objects.update(status=PublicationStatus.DRAFT)
    assert "Aucune phase n'est publiée" in _page(client, {"de": 3, "a": 4})
