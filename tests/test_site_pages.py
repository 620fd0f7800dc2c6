"""Site-wide pages: legal texts, accessibility statement, site map, header and footer, in French and in English."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from policy.models import Phase, Report

pytestmark = pytest.mark.django_db

LEGAL_PAGES = {
    "/mentions-legales/": {"fr": "Mentions légales", "en": "Legal notice"},
    "/donnees-personnelles/": {"fr": "Données personnelles", "en": "Personal data"},
    "/accessibilite/": {"fr": "Déclaration d'accessibilité", "en": "Accessibility statement"},
    "/plan-du-site/": {"fr": "Plan du site", "en": "Site map"},
}
SITE_NAME = {"fr": "Pôles de compétitivité", "en": "French competitiveness clusters"}
PREFIX = {"fr": "", "en": "/en"}  # the same pages in English live under /en/
LANGUAGES = pytest.mark.parametrize("language", ["fr", "en"])


@LANGUAGES
@pytest.mark.parametrize("url", LEGAL_PAGES)
def test_it_serves_every_legal_page_with_one_h1_and_its_own_title(client, url, language):
    response = client.get(PREFIX[language] + url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert html.count("<h1") == 1
    assert html.count("<main") == 1
    assert f"<title>{LEGAL_PAGES[url][language]} — {SITE_NAME[language]}</title>" in html
    # The breadcrumb ends on the page itself.
    assert 'class="fr-breadcrumb__link" aria-current="page"' in html


@LANGUAGES
@pytest.mark.parametrize("url", LEGAL_PAGES)
def test_it_rejects_post_on_legal_pages(client, url, language):
    assert client.post(PREFIX[language] + url).status_code == 405


@pytest.mark.parametrize(
    "url",
    ["/", "/poles/aerospace-valley/", "/mentions-legales/", "/accessibilite/", "/en/", "/en/poles/aerospace-valley/"],
)
def test_public_pages_set_no_cookie(client, url):
    # The personal data page promises it: only staff, in the admin, ever receive a cookie.
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies


def test_the_accessibility_statement_follows_the_rgaa_structure(client):
    html = client.get("/accessibilite/").content.decode()
    # Without an audit, the RGAA only allows "non conforme".
    assert "<strong>non conforme</strong>" in html
    assert "Aucun audit complet" in html
    for heading in ("État de conformité", "Résultats des tests", "Contenus non accessibles", "Environnement de test",
                    "Retour d'information et contact", "Voies de recours"):
        assert f">{heading}</h" in html, heading
    assert "axe-core 4.x" in html and "Chromium" in html
    assert "Défenseur des droits" in html and 'href="https://formulaire.defenseurdesdroits.fr/"' in html
    assert '<time datetime="2026-11-23">23 novembre 2026</time>' in html
    # The host the statement applies to is the one being served, not a guess.
    assert "(testserver)" in html


def test_the_personal_data_page_says_there_is_no_tracking_cookie(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "aucun cookie de mesure d'audience" in html
    assert "cookie de session" in html
    assert 'href="https://www.cnil.fr/fr/plaintes"' in html


def test_the_legal_notice_names_the_publisher_and_the_licence(client):
    html = client.get("/mentions-legales/").content.decode()
    assert "ministère chargé de l'industrie" in html
    assert "Licence Ouverte / Open Licence version 2.0" in html
    assert '<time datetime="' in html


@LANGUAGES
def test_the_site_map_links_every_section_phase_and_report(client, django_assert_max_num_queries, language):
    phases, reports = Phase.objects.published(), Report.objects.published()
    assert phases.count() == 5
    # The French addresses, taken before the English request leaves English active in the test.
    urls = [item.get_absolute_url() for item in (*phases, *reports)]
    # Two queries (phases, reports) plus the synthetic-data check of every page.
    with django_assert_max_num_queries(5):
        response = client.get(f"{PREFIX[language]}/plan-du-site/")
    html = response.content.decode()
    for url in ("/", "/poles/", "/membres/", "/evenements/", "/politique/", "/politique/chiffres-cles/",
                "/politique/comparer/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/", *urls):
        assert f'href="{PREFIX[language]}{url}"' in html, url
    # Lists only, never every pôle.
    assert f'href="{PREFIX[language]}/poles/aerospace-valley/"' not in html


FOOTER_LABELS = {
    "fr": {"/accessibilite/": "Accessibilité : non conforme", "/mentions-legales/": "Mentions légales",
           "/donnees-personnelles/": "Données personnelles", "/plan-du-site/": "Plan du site"},
    "en": {"/accessibilite/": "Accessibility: non-compliant", "/mentions-legales/": "Legal notice",
           "/donnees-personnelles/": "Personal data", "/plan-du-site/": "Site map"},
}


@LANGUAGES
def test_the_footer_links_the_legal_pages_and_the_licence(client, language):
    html = client.get(PREFIX[language] + "/").content.decode()
    footer = html[html.index('<footer class="fr-footer"'):]
    for url, label in FOOTER_LABELS[language].items():
        assert f'href="{PREFIX[language]}{url}">{label}</a>' in footer
    assert "Licence Ouverte / Open Licence 2.0" in footer
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in footer


@LANGUAGES
def test_the_footer_marks_the_legal_page_being_read(client, language):
    url = f"{PREFIX[language]}/mentions-legales/"
    html = client.get(url).content.decode()
    assert f'href="{url}" aria-current="page">{FOOTER_LABELS[language]["/mentions-legales/"]}</a>' in html


@pytest.mark.parametrize(
    "path, other",
    [("/poles/?region=occitanie&page=2", "/en/poles/?region=occitanie&page=2"), ("/en/plan-du-site/", "/plan-du-site/"),
     ("/", "/en/"), ("/en/", "/")],
)
def test_every_page_links_to_itself_in_the_other_language(client, path, other):
    # The DSFR language selector in the header (JavaScript opens it), and a plain link in the footer without it.
    language, other_language = ("en", "fr") if path.startswith("/en/") else ("fr", "en")
    html = client.get(path).content.decode()
    selector = html[html.index('<nav role="navigation" class="fr-translate fr-nav"'):]
    selector = selector[:selector.index("</nav>")]
    other_href = other.replace("&", "&amp;")
    assert f'hreflang="{other_language}" lang="{other_language}" href="{other_href}">' in selector
    current_href = path.replace("&", "&amp;")
    assert f'hreflang="{language}" lang="{language}" href="{current_href}" aria-current="true">' in selector
    assert '<button class="fr-translate__btn fr-btn fr-btn--tertiary"' in selector
    footer = html[html.index('<footer class="fr-footer"'):]
    name = {"fr": "Français", "en": "English"}[other_language]
    assert f'hreflang="{other_language}" lang="{other_language}" href="{other_href}">{name}</a>' in footer


def _navigation(path: str) -> str:
    # Rendered outside a request: the language is the one LocaleMiddleware would take from the address.
    language = "en" if path.startswith("/en/") else "fr"
    with translation.override(language):
        html = render_to_string("includes/header.html", {"request": RequestFactory().get(path)})
    start = html.index('<ul class="fr-nav__list">')
    return html[start:html.index("</nav>", start)]


NAVIGATION = {
    "fr": ["Pôles", "Membres", "Événements", "Politique", "Chiffres clés"],
    "en": ["Clusters", "Members", "Events", "Policy", "Key figures"],
}


@LANGUAGES
def test_the_main_navigation_has_the_five_sections(language):
    nav = _navigation(f"{PREFIX[language]}/mentions-legales/")
    positions = [nav.index(f">{label}</a>") for label in NAVIGATION[language]]
    assert positions == sorted(positions)
    assert nav.count('class="fr-nav__link"') == 5
    assert f'href="{PREFIX[language]}/politique/chiffres-cles/"' in nav
    assert "aria-current" not in nav


@LANGUAGES
@pytest.mark.parametrize(
    "path, section, kind",
    [
        ("/poles/", 0, "page"),
        ("/poles/aerospace-valley/", 0, "true"),
        ("/membres/bpifrance/", 1, "true"),
        ("/evenements/", 2, "page"),
        ("/intervenants/arnaud-montebourg/", 2, "true"),
        ("/politique/", 3, "page"),
        ("/politique/phase-3/", 3, "true"),
        ("/politique/chiffres-cles/", 4, "page"),
    ],
)
def test_the_navigation_marks_the_current_section_only(path, section, kind, language):
    nav = _navigation(PREFIX[language] + path)
    assert nav.count("aria-current") == 1
    assert f' aria-current="{kind}">{NAVIGATION[language][section]}</a>' in nav


@LANGUAGES
def test_the_navigation_exposes_the_key_figures_page(client, language):
    html = client.get(f"{PREFIX[language]}/politique/chiffres-cles/").content.decode()
    label = NAVIGATION[language][4]
    assert f'href="{PREFIX[language]}/politique/chiffres-cles/" aria-current="page">{label}</a>' in html
    assert f'href="{PREFIX[language]}/politique/" aria-current' not in html


@LANGUAGES
def test_the_base_template_renders_without_a_request(language):
    # Django's 400 handler renders 400.html, which extends base.html, with no request at all.
    with translation.override(language):
        html = render_to_string("400.html")
    assert html.count("<h1") == 1
    assert f'<html lang="{language}"' in html
    assert 'rel="canonical"' not in html and "application/ld+json" not in html and 'rel="alternate"' not in html


def test_the_health_check_answers_without_database_or_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_the_language_links_do_not_write_back_an_overlong_query_string(client):
    # Longer than any form of the site makes it: typed by hand or by a robot, it is not echoed into the page.
    html = client.get("/politique/comparer/?de=" + "7" * 5000 + "&a=4").content.decode()
    assert "7" * 100 not in html
    assert 'hreflang="en" lang="en" href="/en/politique/comparer/">' in html
