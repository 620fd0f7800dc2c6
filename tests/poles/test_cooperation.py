"""The cooperation page (/poles/cooperation/) and the « Pôles proches » block of a pôle's page."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from events.models import Session
from poles.content import PublicationStatus
from poles.cooperation import Link, arc_diagram
from poles.models import Pole, Region, Theme
from tests.factories import make_event, make_membership, make_organisation, make_pole

pytestmark = pytest.mark.django_db

URL = "/poles/cooperation/"


@pytest.fixture
def themes():
    return [Theme.objects.create(name=f"Thématique d'essai {n}", slug=f"thematique-essai-{n}") for n in range(3)]


def _pair(themes, *, same_theme: bool = False) -> tuple[Pole, Pole]:
    """Two new pôles, each with a theme of its own unless they share one."""
    return make_pole(themes=[themes[0]]), make_pole(themes=[themes[0] if same_theme else themes[1]])


def _share_members(first: Pole, second: Pole, count: int = 1, **organisation_fields) -> None:
    for _ in range(count):
        organisation = make_organisation(**organisation_fields)
        make_membership(first, organisation)
        make_membership(second, organisation)


def _share_session(*poles: Pole, **event_fields) -> Session:
    session = make_event(sessions=1, **event_fields).sessions.get()
    session.poles.add(*poles)
    return session


def _table_rows(html: str) -> list[tuple[str, str, list[str]]]:
    """(first pôle, second pôle, what they have in common) for each row of the page's table."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        names = re.search(r'<th scope="row"><a href="[^"]+">(.*?)</a> et <a href="[^"]+">(.*?)</a></th>', row)
        if names:
            reasons = [unescape(reason) for reason in re.findall(r"<li>(.*?)</li>", row)]
            rows.append((unescape(names[1]), unescape(names[2]), reasons))
    return rows


def _drawn_pairs(html: str) -> set[frozenset[str]]:
    """The pairs of pôles the SVG joins with an arc (by the labels of the rows each arc joins)."""
    svg = re.search(r"<svg[^>]*arc-diagram.*?</svg>", html, flags=re.S)[0]
    labels = {float(y): unescape(text) for y, text in re.findall(r'<text[^>]* y="([\d.]+)"[^>]*>(.*?)</text>', svg)}
    arcs = re.findall(r'<path d="M [\d.]+ ([\d.]+) A [\d.]+ [\d.]+ 0 0 1 [\d.]+ ([\d.]+)"', svg)
    return {frozenset((labels[float(top)], labels[float(bottom)])) for top, bottom in arcs}


def _links_of(client, pole: Pole, **params) -> dict[str, list[str]]:
    html = client.get(URL, {"pole": pole.slug, **params}).content.decode()
    return {second: reasons for first, second, reasons in _table_rows(html) if first == pole.name}


# What a visitor sees


def test_two_poles_sharing_a_member_appear_linked(client, themes):
    first, second = _pair(themes)
    _share_members(first, second)
    assert _links_of(client, first) == {second.name: ["1 membre en commun"]}
    assert _links_of(client, second) == {first.name: ["1 membre en commun"]}


def test_it_says_every_reason_of_a_link(client, themes):
    first, second = _pair(themes, same_theme=True)
    _share_members(first, second, count=14)
    _share_session(first, second)
    _share_session(first, second)
    assert _links_of(client, first)[second.name] == [
        "14 membres en commun",
        "2 séquences communes",
        f"thématique commune : {themes[0].name}",
    ]


def test_the_strongest_links_come_first_and_are_drawn(client, themes):
    first, second = _pair(themes)
    third = make_pole(themes=[themes[2]])
    _share_members(first, second, count=5)  # stronger than any link of the real data
    _share_members(first, third, count=3)
    _share_session(second, third)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table_rows(html)
    assert rows[:2] == [
        (first.name, second.name, ["5 membres en commun"]),
        (first.name, third.name, ["3 membres en commun"]),
    ]
    assert frozenset((first.name, second.name)) in _drawn_pairs(html)


def test_the_table_carries_the_same_pairs_as_the_drawing(client, themes):
    first, second = _pair(themes)
    _share_members(first, second, count=2)
    for params in ({}, {"page": 2}, {"kind": "thematiques"}, {"region": "occitanie"}, {"pole": first.slug}):
        html = client.get(URL, params).content.decode()
        rows = _table_rows(html)
        assert rows, params
        assert len(rows) <= 20
        # The drawing writes long names short: « ALPHA - Route des Lasers & des Hyp… ».
        short = {name: name if len(name) <= 34 else name[:33].rstrip() + "…" for row in rows for name in row[:2]}
        assert _drawn_pairs(html) == {frozenset((short[a], short[b])) for a, b, _reasons in rows}, params


def test_the_page_is_accessible_without_javascript(client):
    response = client.get(URL)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<main" in html
    assert re.search(r"<title>\s*Coopérations entre pôles — ", html)
    assert 'class="fr-breadcrumb"' in html and 'href="/poles/"' in html
    svg = re.search(r"<svg[^>]*arc-diagram[^>]*>", html)[0]
    assert 'role="img"' in svg and 'aria-labelledby="reseau-title"' in svg and 'aria-describedby="reseau-desc"' in svg
    assert '<title id="reseau-title">Réseau des liens 1 à 20 entre pôles</title>' in html
    assert '<desc id="reseau-desc">' in html
    assert "<caption>Liens 1 à 20 entre pôles et ce qui relie chaque paire</caption>" in html
    assert '<th scope="col">Pôles liés</th>' in html
    assert '<form method="get" action="/poles/cooperation/"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_real_data_already_links_poles_by_sessions_and_themes(client):
    links = _links_of(client, Pole.objects.get(slug="aerospace-valley"))
    assert links["Plastipolis"] == ["1 séquence commune"]
    assert links["SAFE Cluster"] == ["thématique commune : Aéronautique et espace"]


# Only public content links pôles


@pytest.mark.parametrize(
    "organisation_fields",
    [
        {"status": PublicationStatus.DRAFT},
        {"status": PublicationStatus.ARCHIVED},
        {"publish_at": timezone.now() + datetime.timedelta(days=3)},
        {"deleted_at": timezone.now()},
    ],
    ids=["draft", "archived", "scheduled", "deleted"],
)
def test_a_member_the_public_may_not_see_creates_no_link(client, themes, organisation_fields):
    first, second = _pair(themes)
    _share_members(first, second, **organisation_fields)
    assert _links_of(client, first) == {}


def test_an_unpublished_session_or_event_creates_no_link(client, themes):
    first, second = _pair(themes)
    draft_session = _share_session(first, second)
    Session.objects.filter(pk=draft_session.pk).update(status=PublicationStatus.DRAFT)
    _share_session(first, second, status=PublicationStatus.DRAFT)  # a draft event
    assert _links_of(client, first) == {}


def test_a_pole_the_public_may_not_see_has_no_links(client, themes):
    first, second = _pair(themes, same_theme=True)
    _share_members(first, second)
    Pole.objects.filter(pk=second.pk).update(status=PublicationStatus.DRAFT)
    assert _links_of(client, first) == {}
    html = client.get(URL).content.decode()
    assert second.name not in html


# Filters


def test_region_theme_and_kind_keep_the_links_that_meet_them(client, themes):
    occitanie, bretagne = Region.objects.get(slug="occitanie"), Region.objects.get(slug="bretagne")
    first = make_pole(regions=[occitanie], themes=[themes[0]])
    second = make_pole(regions=[bretagne], themes=[themes[0]])
    _share_members(first, second, count=4)
    for params in ({"region": "occitanie"}, {"region": "bretagne"}, {"theme": themes[0].slug}, {"kind": "membres"}):
        rows = _table_rows(client.get(URL, params).content.decode())
        assert rows[0][:2] == (first.name, second.name), params
    rows = _table_rows(client.get(URL, {"kind": "sequences"}).content.decode())
    assert (first.name, second.name) not in [row[:2] for row in rows]
    assert _links_of(client, first, kind="thematiques") == {second.name: [f"thématique commune : {themes[0].name}"]}
    assert _links_of(client, first, region="normandie") == {}


def test_an_invalid_criterion_is_reported_and_the_others_still_apply(client, themes):
    first, second = _pair(themes)
    _share_members(first, second)
    response = client.get(URL, {"pole": first.slug, "region": "inconnue"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains critères n'ont pas pu être pris en compte" in html
    assert [row[:2] for row in _table_rows(html)] == [(first.name, second.name)]


def test_pages_beyond_the_last_or_not_numbers_are_not_found(client):
    assert client.get(URL, {"page": 2}).status_code == 200
    for page in ("11", "999999999999999999999", "0", "-1", "deux"):
        assert client.get(URL, {"page": page}).status_code == 404, page


def test_it_only_answers_reads(client):
    assert client.post(URL).status_code == 405


# Where the page is linked from


def test_the_pole_list_the_site_map_and_the_sitemap_lead_to_it(client):
    assert 'href="/poles/cooperation/"' in client.get("/poles/").content.decode()
    assert 'href="/poles/cooperation/"' in client.get("/plan-du-site/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/poles/cooperation/</loc>" in sitemap


# A pôle's page: « Pôles proches »


def test_a_pole_page_names_the_closest_poles_with_the_reason(client, themes):
    pole, close = _pair(themes)
    closer = make_pole(themes=[themes[0]])
    _share_members(pole, close, count=2)
    _share_members(pole, closer, count=14)
    _share_session(pole, close)
    html = client.get(pole.get_absolute_url()).content.decode()
    block = html[html.index('<h2 id="closest-title">Pôles proches</h2>') :]
    block = block[: block.index("</section>")]
    items = re.findall(r'<li><a href="([^"]+)">(.*?)</a> — (.*?)</li>', block)
    assert [(href, unescape(name)) for href, name, _ in items][:2] == [
        (closer.get_absolute_url(), closer.name),
        (close.get_absolute_url(), close.name),
    ]
    assert unescape(items[0][2]) == f"14 membres en commun ; thématique commune : {themes[0].name}"
    assert unescape(items[1][2]) == "2 membres en commun ; 1 séquence commune"
    assert len(items) <= 5
    assert f'href="/poles/cooperation/?pole={pole.slug}"' in block


def test_a_pole_without_links_says_so(client, themes):
    pole = make_pole(themes=[themes[2]])
    html = client.get(pole.get_absolute_url()).content.decode()
    assert "Aucun autre pôle n'a de membre, de séquence ou de thématique en commun avec celui-ci." in html


def test_a_merged_pole_still_names_its_predecessors(client, themes):
    successor = make_pole(themes=[themes[2]])
    merged = make_pole(themes=[themes[1]], fate=Pole.Fate.MERGED, successor=successor, fate_year=2020)
    draft = make_pole(themes=[themes[1]], fate=Pole.Fate.MERGED, successor=successor, status=PublicationStatus.DRAFT)
    html = client.get(successor.get_absolute_url()).content.decode()
    predecessors = re.search(r"Pôles fondus dans celui-ci</dt><dd>(.*?)</dd>", html, re.S)[1]
    assert f'href="{merged.get_absolute_url()}"' in predecessors
    assert draft.name not in html


# Queries: bounded, and the same at any size


def _grow(themes, poles: int = 12) -> None:
    """More pôles, members, sessions and themes in common, so that any query per row would show."""
    added = [make_pole(themes=[themes[n % 3]]) for n in range(poles)]
    for first, second in zip(added, added[1:], strict=False):
        _share_members(first, second, count=2)
        _share_session(first, second)


def test_the_page_costs_a_bounded_number_of_queries(client, themes, django_assert_max_num_queries):
    _grow(themes, poles=2)
    # Pôles, regions and themes (the form's choices, which also name the links), the links, the synthetic-data check.
    with django_assert_max_num_queries(5) as before:
        client.get(URL)
    _grow(themes)
    for params in ({}, {"pole": "aerospace-valley", "region": "occitanie", "theme": themes[0].slug, "kind": "membres"}):
        with django_assert_max_num_queries(len(before.captured_queries)):
            assert client.get(URL, params).status_code == 200


def test_the_closest_poles_cost_a_pole_page_no_query(client, themes, django_assert_max_num_queries):
    pole = make_pole(themes=[themes[0]])
    _share_members(pole, make_pole(), count=1)
    make_pole(fate=Pole.Fate.MERGED, successor=pole)  # whose name is checked against the redirects: one query more
    ContentType.objects.get_for_model(Pole)  # read once per process by the corrections, as a running site has it
    # The pôle and its five prefetches; the merged and the closest pôles; the members (first ones and counts);
    # figures; sessions; corrections; the synthetic-data check. Before this block, the merged pôles took one query,
    # their redirects another, the member counts a third.
    with django_assert_max_num_queries(12) as before:
        client.get(pole.get_absolute_url())
    _grow(themes)
    for other in Pole.objects.exclude(pk=pole.pk).order_by("-pk")[:12]:
        _share_members(pole, other, count=3)
        _share_session(pole, other)
    make_pole(fate=Pole.Fate.MERGED, successor=pole)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(pole.get_absolute_url()).content.decode()
    assert "3 membres en commun ; 1 séquence commune" in html
    assert "Pôles fondus dans celui-ci" in html


# The drawing's geometry


def test_the_drawing_puts_linked_poles_side_by_side_and_thickens_strong_links(themes):
    poles = [make_pole(themes=[themes[2]]) for _ in range(4)]
    links = [
        Link((poles[0], poles[1]), members=6),
        Link((poles[2], poles[3]), sessions=1),
        Link((poles[1], poles[3]), themes=[themes[2]]),
    ]
    diagram = arc_diagram(links)
    assert [node.label for node in diagram.nodes] == [poles[0].name, poles[1].name, poles[3].name, poles[2].name]
    # Drawn from the weakest, so that the strongest is on top.
    assert [(arc.width, arc.dashed) for arc in diagram.arcs] == [(1.5, True), (1.9, False), (4.0, False)]
    assert arc_diagram([]) is None
