"""What search engines and link previews read: sitemap.xml, robots.txt, canonical and OpenGraph tags, JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils.timezone import localtime

from events.models import Appearance, Event, Person
from poles.models import Organisation, Pole
from policy.models import Phase, Report
from tests.factories import make_appearance, make_event, make_person, make_pole

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


class HeadParser(HTMLParser):
    """The metadata of a page: meta and link elements, and the text of each JSON-LD script with its nonce."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[tuple[str, str]] = []
        self._in_json_ld: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.links[f"alternate {attrs['hreflang']}"] = attrs.get("href", "")
        elif tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs.get("href", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = attrs.get("nonce", "")
            self.json_ld.append((self._in_json_ld, ""))

    def handle_data(self, data):
        if self._in_json_ld is not None:
            nonce, text = self.json_ld[-1]
            self.json_ld[-1] = (nonce, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = None


def head_of(response) -> HeadParser:
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def structured_data(response) -> dict:
    head = head_of(response)
    assert len(head.json_ld) == 1
    nonce, text = head.json_ld[0]
    # The script carries this response's CSP nonce.
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    return json.loads(text)


def sitemap_locations(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }


# sitemap.xml


def test_the_sitemap_lists_every_public_page_in_both_languages_with_its_last_change(client):
    locations = sitemap_locations(client)
    pole = Pole.objects.get(slug="aerospace-valley")
    assert locations["http://testserver/poles/aerospace-valley/"] == localtime(pole.updated_at).date().isoformat()
    assert locations["http://testserver/en/poles/aerospace-valley/"] == localtime(pole.updated_at).date().isoformat()
    event = Event.objects.get(slug="13e-journee-nationale-des-poles-2014")
    assert f"http://testserver{event.get_absolute_url()}" in locations
    for model in (Pole, Organisation, Event, Person, Phase, Report):
        for item in model.objects.published():
            assert f"http://testserver{item.get_absolute_url()}" in locations, item
            assert f"http://testserver/en{item.get_absolute_url()}" in locations, item
    for path in ("/", "/poles/", "/membres/", "/evenements/", "/politique/", "/politique/chiffres-cles/",
                 "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/", "/plan-du-site/"):
        assert f"http://testserver{path}" in locations, path
        assert f"http://testserver/en{path}" in locations, path
    assert len(locations) == len(set(locations))
    assert len([url for url in locations if url.startswith("http://testserver/en/")]) == len(locations) // 2


def test_each_sitemap_entry_names_its_versions_in_every_language(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    for url in root.findall("sm:url", SITEMAP_NS):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link[@rel='alternate']", SITEMAP_NS)
        }
        location = url.findtext("sm:loc", namespaces=SITEMAP_NS)
        french = location.replace("http://testserver/en/", "http://testserver/")
        assert alternates == {"fr": french, "en": french.replace("http://testserver/", "http://testserver/en/"),
                              "x-default": french}, location


def test_the_sitemap_never_lists_a_draft_or_synthetic_pole(client):
    draft = make_pole(status="draft")
    synthetic = make_pole(is_synthetic=True)
    published = make_pole()
    locations = sitemap_locations(client)
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert f"http://testserver{synthetic.get_absolute_url()}" not in locations
    assert f"http://testserver{published.get_absolute_url()}" in locations


def test_the_sitemap_costs_one_query_per_content_type(client, django_assert_num_queries):
    # The rows, read once for both languages (Sitemap.i18n pairs each row with each language before paginating).
    with django_assert_num_queries(6):
        client.get("/sitemap.xml")


def test_the_sitemap_and_robots_reject_post(client):
    assert client.post("/sitemap.xml").status_code == 405
    assert client.post("/robots.txt").status_code == 405


# robots.txt


def test_robots_allows_all_and_points_to_the_sitemap_without_naming_the_admin(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ]


# Canonical address and OpenGraph


@pytest.mark.parametrize(
    "prefix, locale, other_locale, site_name",
    [("", "fr_FR", "en_GB", "Pôles de compétitivité"), ("/en", "en_GB", "fr_FR", "French competitiveness clusters")],
)
def test_a_pole_page_has_its_canonical_address_and_opengraph_tags(client, prefix, locale, other_locale, site_name):
    head = head_of(client.get(f"{prefix}/poles/aerospace-valley/?utm_source=lettre"))
    assert head.links["canonical"] == f"http://testserver{prefix}/poles/aerospace-valley/"
    assert head.meta["og:url"] == f"http://testserver{prefix}/poles/aerospace-valley/"
    assert head.meta["og:title"] == "Aerospace Valley"
    assert head.meta["og:type"] == "website"
    assert head.meta["og:locale"] == locale
    assert head.meta["og:locale:alternate"] == other_locale
    assert head.meta["og:site_name"] == site_name
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:description"].startswith("Aerospace Valley")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_names_its_versions_in_both_languages(client, prefix):
    head = head_of(client.get(f"{prefix}/poles/aerospace-valley/?utm_source=lettre"))
    assert head.links["alternate fr"] == "http://testserver/poles/aerospace-valley/"
    assert head.links["alternate en"] == "http://testserver/en/poles/aerospace-valley/"
    assert head.links["alternate x-default"] == "http://testserver/poles/aerospace-valley/"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_canonical_address_of_a_list_keeps_only_the_page_number(client, prefix):
    head = head_of(client.get(f"{prefix}/poles/?page=2&utm_source=lettre"))
    assert head.links["canonical"] == f"http://testserver{prefix}/poles/?page=2"
    assert head.links["alternate fr"] == "http://testserver/poles/?page=2"
    assert head.links["alternate en"] == "http://testserver/en/poles/?page=2"
    head = head_of(client.get(f"{prefix}/poles/?page=1"))
    assert head.links["canonical"] == f"http://testserver{prefix}/poles/"


def test_a_page_without_description_of_its_own_gets_the_site_description(client):
    head = head_of(client.get("/plan-du-site/"))
    assert head.meta["og:title"] == "Plan du site"
    assert head.meta["og:description"] == head.meta["description"] != ""


# JSON-LD


def test_a_pole_page_describes_the_pole_as_an_organization(client):
    data = structured_data(client.get("/poles/aerospace-valley/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Aerospace Valley"
    assert data["url"] == "http://testserver/poles/aerospace-valley/"
    assert data["sameAs"] == ["https://www.aerospace-valley.com"]
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Toulouse", "addressCountry": "FR"}
    assert data["foundingDate"] == "2005"


def test_a_pole_json_ld_gives_its_other_names(client):
    pole = Pole.objects.filter(former_names__isnull=False).distinct().first()
    data = structured_data(client.get(pole.get_absolute_url()))
    for other in pole.former_names.all():
        assert other.name in data["alternateName"]


def test_the_json_ld_survives_any_text(client):
    pole = make_pole(
        name='Pôle "</script><script>alert(1)</script> & co',
        summary="Deux lignes\nd'un texte — avec \\ et \u2028.",
        hq_city="L'Isle-d'Abeau",
    )
    response = client.get(pole.get_absolute_url())
    script = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    assert "<" not in script.group(1)
    data = structured_data(response)
    assert data["name"] == pole.name
    assert data["description"] == pole.summary
    assert data["address"]["addressLocality"] == "L'Isle-d'Abeau"
    assert "foundingDate" not in data and "sameAs" not in data


def test_an_event_page_describes_the_event_with_its_speakers(client):
    event = Event.objects.get(slug="13e-journee-nationale-des-poles-2014")
    data = structured_data(client.get(event.get_absolute_url()))
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == "2014-01-24"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Bercy",
        "address": {"@type": "PostalAddress", "addressLocality": "Paris", "addressCountry": "FR"},
    }
    people = Appearance.objects.filter(session__event=event, person__status="published").values_list(
        "person__name", flat=True
    )
    assert {performer["name"] for performer in data["performer"]} == set(people)
    assert all(performer["@type"] == "Person" for performer in data["performer"])


@pytest.mark.parametrize("precision, expected", [("day", "2019-03-14"), ("month", "2019-03"), ("year", "2019")])
def test_an_event_start_date_is_only_as_precise_as_the_sources(client, precision, expected):
    event = make_event(date="2019-03-14", date_precision=precision)
    data = structured_data(client.get(event.get_absolute_url()))
    assert data["startDate"] == expected
    assert "location" not in data


def test_an_event_lists_its_speakers_whatever_sessions_are_empty(client):
    event = make_event(sessions=3, venue="Bercy")
    first, second, third = event.sessions.order_by("order")
    ada, max_ = make_person(), make_person()
    make_appearance(second, ada)
    make_appearance(second, max_, order=1)
    # The first and last sessions have nobody: the list must still be valid JSON.
    data = structured_data(client.get(event.get_absolute_url()))
    assert [performer["name"] for performer in data["performer"]] == [ada.name, max_.name]
    assert data["performer"][0]["url"] == f"http://testserver{ada.get_absolute_url()}"
    assert data["location"]["name"] == "Bercy"
    assert "addressLocality" not in data["location"]["address"]

    nobody = make_event(sessions=2)
    assert structured_data(client.get(nobody.get_absolute_url()))["performer"] == []


def test_a_person_page_gives_the_position_held_at_the_latest_event(client):
    data = structured_data(client.get("/intervenants/arnaud-montebourg/"))
    assert data["@type"] == "Person"
    assert data["name"] == "Arnaud Montebourg"
    assert data["url"] == "http://testserver/intervenants/arnaud-montebourg/"
    latest = Appearance.objects.filter(person__slug="arnaud-montebourg").order_by("-session__event__date").first()
    assert data["jobTitle"] == latest.position


def test_other_pages_describe_the_website(client):
    data = structured_data(client.get("/plan-du-site/"))
    assert data == {"@context": "https://schema.org", "@type": "WebSite", "name": "Pôles de compétitivité",
                    "url": "http://testserver/", "inLanguage": "fr"}
    data = structured_data(client.get("/en/plan-du-site/"))
    assert data == {"@context": "https://schema.org", "@type": "WebSite", "name": "French competitiveness clusters",
                    "url": "http://testserver/en/", "inLanguage": "en"}


def test_an_english_page_describes_its_subject_in_english_when_staff_wrote_it(client):
    url = make_pole(summary="Un pôle d'essai.", summary_en="A test cluster.").get_absolute_url()
    data = structured_data(client.get(f"/en{url}"))
    assert data["description"] == "A test cluster."
    assert head_of(client.get(f"/en{url}")).meta["description"] == "A test cluster."
    assert structured_data(client.get(url))["description"] == "Un pôle d'essai."
