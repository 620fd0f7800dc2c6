"""Site-wide pages: legal texts, accessibility statement, site map, header and footer."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from policy.models import Phase, Report

pytestmark = pytest.mark.django_db

LEGAL_PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/plan-du-site/": "Plan du site",
}


@pytest.mark.parametrize("url", LEGAL_PAGES)
def test_it_serves_every_legal_page_with_one_h1_and_its_own_title(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.count("<main") == 1
    assert f"<title>{LEGAL_PAGES[url]} — Pôles de compétitivité</title>" in html
    # The breadcrumb ends on the page itself.
    assert 'class="fr-breadcrumb__link" aria-current="page"' in html


@pytest.mark.parametrize("url", LEGAL_PAGES)
def test_it_rejects_post_on_legal_pages(client, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", ["/", "/poles/aerospace-valley/", "/mentions-legales/", "/accessibilite/"])
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


def test_the_site_map_links_every_section_phase_and_report(client, django_assert_max_num_queries):
    # Two queries (phases, reports) plus the synthetic-data check of every page.
    with django_assert_max_num_queries(5):
        response = client.get("/plan-du-site/")
    html = response.content.decode()
    for url in ("/", "/poles/", "/membres/", "/evenements/", "/politique/", "/politique/chiffres-cles/",
                "/politique/comparer/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"):
        assert f'href="{url}"' in html, url
    phases = Phase.objects.published()
    assert phases.count() == 5
    for phase in phases:
        assert f'href="{phase.get_absolute_url()}"' in html
    for report in Report.objects.published():
        assert f'href="{report.get_absolute_url()}"' in html
    # Lists only, never every pôle.
    assert 'href="/poles/aerospace-valley/"' not in html


def test_the_footer_links_the_legal_pages_and_the_licence(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="fr-footer"'):]
    assert 'href="/accessibilite/">Accessibilité : non conforme</a>' in footer
    for url, label in (("/mentions-legales/", "Mentions légales"), ("/donnees-personnelles/", "Données personnelles"),
                       ("/plan-du-site/", "Plan du site")):
        assert f'href="{url}">{label}</a>' in footer
    assert "Licence Ouverte / Open Licence 2.0" in footer
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in footer


def test_the_footer_marks_the_legal_page_being_read(client):
    html = client.get("/mentions-legales/").content.decode()
    assert 'href="/mentions-legales/" aria-current="page">Mentions légales</a>' in html


def _navigation(path: str) -> str:
    html = render_to_string("includes/header.html", {"request": RequestFactory().get(path)})
    return html[html.index('<ul class="fr-nav__list">'):html.index("</nav>")]


def test_the_main_navigation_has_the_five_sections():
    nav = _navigation("/mentions-legales/")
    labels = ["Pôles", "Membres", "Événements", "Politique", "Chiffres clés"]
    positions = [nav.index(f">{label}</a>") for label in labels]
    assert positions == sorted(positions)
    assert nav.count('class="fr-nav__link"') == 5
    assert 'href="/politique/chiffres-cles/"' in nav
    assert "aria-current" not in nav


@pytest.mark.parametrize(
    "path, current, kind",
    [
        ("/poles/", "Pôles", "page"),
        ("/poles/aerospace-valley/", "Pôles", "true"),
        ("/membres/bpifrance/", "Membres", "true"),
        ("/evenements/", "Événements", "page"),
        ("/intervenants/arnaud-montebourg/", "Événements", "true"),
        ("/politique/", "Politique", "page"),
        ("/politique/phase-3/", "Politique", "true"),
        ("/politique/chiffres-cles/", "Chiffres clés", "page"),
    ],
)
def test_the_navigation_marks_the_current_section_only(path, current, kind):
    nav = _navigation(path)
    assert nav.count("aria-current") == 1
    assert f' aria-current="{kind}">{current}</a>' in nav


def test_the_navigation_exposes_the_key_figures_page(client):
    html = client.get("/politique/chiffres-cles/").content.decode()
    assert 'href="/politique/chiffres-cles/" aria-current="page">Chiffres clés</a>' in html
    assert 'href="/politique/" aria-current' not in html


def test_the_base_template_renders_without_a_request():
    # Django's 400 handler renders 400.html, which extends base.html, with no request at all.
    html = render_to_string("400.html")
    assert html.count("<h1") == 1
    assert 'rel="canonical"' not in html and "application/ld+json" not in html


def test_the_health_check_answers_without_database_or_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
