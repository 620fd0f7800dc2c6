"""Stable addresses: a public page whose slug changes keeps answering at its old address, with a 301 to the new one.

Also: a renamed pôle keeps its old name among its other names, so searches for the old name still find it.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from events.models import Event, Person
from permalinks.models import Redirect
from poles.models import Organisation, Pole, PoleName
from policy.models import Phase, Report
from tests.factories import make_pole

pytestmark = pytest.mark.django_db


def rename(obj, slug: str):
    obj.slug = slug
    obj.save()
    return obj


def assert_moved(client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200, new


# Old addresses keep working


@pytest.mark.parametrize(
    ("model", "slug", "address"),
    [
        (Pole, "aerospace-valley", "/poles/{}/"),
        (Organisation, "dgcis", "/membres/{}/"),
        (Event, "1er-forum-des-poles-2005", "/evenements/{}/"),
        (Person, "veronique-barry", "/intervenants/{}/"),
        (Phase, "phase-1", "/politique/{}/"),
        (Report, "evaluation-2008", "/politique/rapports/{}/"),
    ],
)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_old_address_of_every_public_page_redirects_to_the_new_one(client, model, slug, address, prefix):
    # In every language: the English page moved with the French one, and leads to the new English address.
    rename(model.objects.get(slug=slug), "nouvel-identifiant")
    assert_moved(client, prefix + address.format(slug), prefix + address.format("nouvel-identifiant"))


def test_an_events_calendar_file_follows_its_event(client):
    rename(Event.objects.get(slug="1er-forum-des-poles-2005"), "forum-2005")
    response = client.get("/evenements/1er-forum-des-poles-2005.ics")
    assert response.status_code == 301
    assert response["Location"] == "/evenements/forum-2005.ics"
    assert client.get("/evenements/forum-2005.ics")["Content-Type"].startswith("text/calendar")


def test_the_query_string_goes_along(client):
    pole = rename(make_pole(slug="ancien"), "nouveau")
    response = client.get("/poles/ancien/", {"utm_source": "lettre", "x": "é"})
    assert response.status_code == 301
    assert response["Location"] == f"{pole.get_absolute_url()}?utm_source=lettre&x=%C3%A9"
    response = client.get("/en/poles/ancien/", {"utm_source": "lettre"})
    assert response["Location"] == "/en/poles/nouveau/?utm_source=lettre"


def test_addresses_are_recorded_as_the_french_pages_have_them_whatever_the_active_language(client):
    from django.utils import translation

    with translation.override("en"):
        rename(make_pole(slug="ancien"), "nouveau")
    assert Redirect.objects.filter(old_path="/poles/ancien/", new_path="/poles/nouveau/").exists()
    assert client.get("/en/poles/ancien/")["Location"] == "/en/poles/nouveau/"


def test_an_english_address_recorded_by_staff_leads_where_they_said(client):
    Redirect.objects.create(old_path="/en/ancienne-page/", new_path="/en/poles/")
    assert client.get("/en/ancienne-page/")["Location"] == "/en/poles/"
    assert client.get("/ancienne-page/").status_code == 404


def test_an_old_address_without_its_final_slash_still_arrives(client):
    rename(make_pole(slug="ancien"), "nouveau")
    response = client.get("/poles/ancien", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1] == ("/poles/nouveau/", 301)


def test_renaming_twice_leads_straight_to_the_last_address(client):
    pole = make_pole(slug="premier")
    rename(pole, "deuxieme")
    rename(pole, "troisieme")
    # One hop each, not a chain: search engines and browsers follow one redirect best.
    assert client.get("/poles/premier/")["Location"] == "/poles/troisieme/"
    assert client.get("/poles/deuxieme/")["Location"] == "/poles/troisieme/"


def test_renaming_back_serves_the_page_again_without_a_loop(client):
    pole = make_pole(slug="premier", name="Pôle qui revient")
    rename(pole, "deuxieme")
    rename(pole, "premier")
    response = client.get("/poles/premier/")
    assert response.status_code == 200
    assert "Pôle qui revient" in response.content.decode()
    assert client.get("/poles/deuxieme/")["Location"] == "/poles/premier/"
    assert not Redirect.objects.filter(old_path="/poles/premier/").exists()


def test_a_new_page_may_take_an_old_address(client):
    rename(make_pole(slug="disputee"), "ailleurs")
    newcomer = make_pole(slug="disputee", name="Nouveau venu")
    response = client.get("/poles/disputee/")
    assert response.status_code == 200
    assert "Nouveau venu" in response.content.decode()
    # Even while the newcomer is not public, the address is its own: it no longer leads to the renamed pôle.
    newcomer.status = "draft"
    newcomer.save()
    assert client.get("/poles/disputee/").status_code == 404


def test_saving_without_changing_the_slug_records_nothing(client):
    pole = make_pole(slug="stable")
    pole.summary = "Nouvelle présentation."
    pole.save()
    assert not Redirect.objects.filter(new_path="/poles/stable/").exists()
    assert client.get("/poles/stable/").status_code == 200


def test_an_address_that_never_existed_is_still_a_404(client):
    assert client.get("/poles/jamais-vu/").status_code == 404


# A renamed pôle is still found under its old name


def rename_pole(pole: Pole, name: str, django_capture_on_commit_callbacks) -> Pole:
    with django_capture_on_commit_callbacks(execute=True):
        pole.name = name
        pole.save()
    return pole


def test_the_old_name_of_a_renamed_pole_is_kept_and_found(client, django_capture_on_commit_callbacks):
    pole = make_pole(name="Pôle des Anciens Métiers", slug="metiers")
    rename_pole(pole, "Métiers d'Avenir", django_capture_on_commit_callbacks)

    former = PoleName.objects.get(pole=pole, name="Pôle des Anciens Métiers")
    assert former.kind == PoleName.Kind.FORMER
    assert former.valid_until == timezone.localdate().year
    html = client.get("/poles/", {"q": "anciens metiers"}).content.decode()
    assert 'href="/poles/metiers/"' in html
    detail = client.get("/poles/metiers/").content.decode()
    assert "Pôle des Anciens Métiers" in detail and "ancien nom" in detail


def test_a_name_already_known_is_not_added_twice(django_capture_on_commit_callbacks):
    pole = make_pole(name="Nom A")
    PoleName.objects.create(pole=pole, name="Nom A", kind=PoleName.Kind.VARIANT, valid_from=2010)
    rename_pole(pole, "Nom B", django_capture_on_commit_callbacks)
    names = PoleName.objects.filter(pole=pole)
    assert [(n.name, n.kind, n.valid_from) for n in names] == [("Nom A", PoleName.Kind.VARIANT, 2010)]


def test_correcting_accents_or_case_is_not_a_rename(django_capture_on_commit_callbacks):
    pole = make_pole(name="Pole Mer Mediterranee")
    rename_pole(pole, "Pôle Mer Méditerranée", django_capture_on_commit_callbacks)
    assert not PoleName.objects.filter(pole=pole).exists()


def test_taking_back_a_former_name_makes_it_current_again(client, django_capture_on_commit_callbacks):
    pole = make_pole(name="Nom d'origine", slug="retour")
    rename_pole(pole, "Nom provisoire", django_capture_on_commit_callbacks)
    rename_pole(pole, "Nom d'origine", django_capture_on_commit_callbacks)
    assert list(PoleName.objects.filter(pole=pole).values_list("name", flat=True)) == ["Nom provisoire"]
    pole.refresh_from_db()
    assert "provisoire" in pole.search_text  # the search still finds it under the name it had in between
    assert client.get("/poles/", {"q": "nom provisoire"}).content.decode().count('href="/poles/retour/"') == 1
