import pytest

from events.models import Session
from tests.factories import make_membership, make_organisation

pytestmark = pytest.mark.django_db


def test_it_shows_a_pole_with_its_facts_and_sources(client):
    response = client.get("/poles/aerospace-valley/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Aerospace Valley" in html
    assert "Occitanie" in html
    assert "Toulouse" in html
    assert "Phase V" in html
    assert "aerospace-valley.com" in html
    assert "Sources" in html


def test_a_merged_pole_points_to_its_successor(client):
    html = client.get("/poles/pegase/").content.decode()
    assert 'href="/poles/safe-cluster/"' in html


def test_it_lists_every_session_where_the_pole_presented(client):
    sessions = Session.objects.filter(poles__slug="aerospace-valley")
    assert sessions.exists()
    html = client.get("/poles/aerospace-valley/").content.decode()
    for session in sessions:
        assert f'href="{session.get_absolute_url()}"' in html


def test_inferred_labels_stay_marked(client):
    html = client.get("/poles/medicen-paris-region/").content.decode()
    assert "déduit" in html


def test_an_unknown_pole_is_a_404(client):
    assert client.get("/poles/pole-inexistant/").status_code == 404


def test_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    from poles.models import Pole

    pole = Pole.objects.get(slug="aerospace-valley")
    make_membership(pole, make_organisation())
    with django_assert_max_num_queries(13) as before:
        client.get("/poles/aerospace-valley/")
    for _ in range(20):
        make_membership(pole, make_organisation())
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get("/poles/aerospace-valley/")
    assert "Organisation d&#x27;essai" in response.content.decode()


def test_members_are_counted_by_kind_and_size_and_lead_to_the_full_list(client):
    from poles.models import Pole
    from tests.factories import make_pole

    pole = make_pole()
    for size in ["pme", "pme", "ge", ""]:
        make_membership(pole, make_organisation(size_class=size))
    make_membership(pole, make_organisation(kind="research"))
    html = client.get(pole.get_absolute_url()).content.decode()
    assert "<td>Entreprise</td><td>4</td>" in html
    assert "<td>Organisme de recherche</td><td>1</td>" in html
    assert "<td>PME</td><td>2</td>" in html
    assert "<td>Grande entreprise</td><td>1</td>" in html
    assert f'href="/membres/?pole={pole.slug}">Voir les 5 membres' in html
    assert Pole.objects.get(pk=pole.pk).memberships.count() == 5


def test_the_english_page_shows_the_english_summary(client):
    from tests.factories import make_pole

    url = make_pole(summary="Un pôle d'essai, à Lyon.", summary_en="A test cluster, in Lyon.").get_absolute_url()
    html = client.get(f"/en{url}").content.decode()
    assert '<p class="fr-text--lead">A test cluster, in Lyon.</p>' in html
    assert "Un pôle d&#x27;essai" not in html and "Available in French only" not in html
    # The French page keeps the French text.
    assert "Un pôle d&#x27;essai, à Lyon." in client.get(url).content.decode()


def test_without_an_english_summary_the_english_page_shows_the_french_one_marked_as_french(client):
    from tests.factories import make_pole

    url = make_pole(summary="Un pôle d'essai, à Lyon.").get_absolute_url()
    html = client.get(f"/en{url}").content.decode()
    notice = html.index("Available in French only")
    text = html.index('<p class="fr-text--lead" lang="fr">Un pôle d&#x27;essai, à Lyon.</p>')
    assert notice < text  # said before it is read
    assert "Available in French only" not in client.get(url).content.decode()
