"""Merging pôles with the admin action "Fusionner dans un autre pôle…"."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.utils import timezone

from permalinks.models import Redirect
from poles.merge import merge_poles
from poles.models import Membership, Pole
from tests.factories import make_membership, make_organisation, make_pole

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/poles/pole/"
ACTION = "merge_into_another_pole"


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "un-mot-de-passe-solide"))
    return client


def choose(client, poles):
    """Staff tick the pôles in the list and pick the action: the confirmation page."""
    data = {"action": ACTION, "select_across": "0", "index": "0", "_selected_action": [pole.pk for pole in poles]}
    return client.post(CHANGELIST, data)


def confirm(client, poles, successor, year=2026, note=""):
    data = {
        "action": ACTION,
        "_selected_action": [pole.pk for pole in poles],
        "confirm": "yes",
        "successor": successor.pk if successor else "",
        "year": year,
        "note": note,
    }
    return client.post(CHANGELIST, data, follow=True)


def unchanged(*poles) -> bool:
    """The pôles' fate is as the test made them, and their pages redirect nowhere."""
    names = ["fate", "successor_id", "fate_year", "fate_note"]
    for pole in poles:
        if Pole.objects.filter(pk=pole.pk).values(*names).get() != {name: getattr(pole, name) for name in names}:
            return False
    return not Redirect.objects.filter(old_path__in=[pole.get_absolute_url() for pole in poles]).exists()


# The happy path


def test_the_action_asks_for_the_successor_and_the_year_on_a_confirmation_page(staff_client):
    first, second = make_pole(name="Pôle Alpha"), make_pole(name="Pôle Bêta")
    response = choose(staff_client, [first, second])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fusionner dans un autre pôle" in html
    assert "Pôle Alpha" in html and "Pôle Bêta" in html
    assert "redirige définitivement (301)" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'<select name="successor"[^>]*data-field-name="successor"', html)  # the admin's autocomplete
    assert f'name="year" value="{timezone.localdate().year}"' in html
    assert unchanged(first, second)  # choosing the action changes nothing yet


def test_confirming_merges_the_poles_and_their_pages_redirect_to_the_successor(staff_client):
    successor = make_pole(name="Pôle Réuni", slug="pole-reuni")
    first = make_pole(name="Pôle Alpha", slug="pole-alpha")
    second = make_pole(name="Pôle Bêta", slug="pole-beta")

    response = confirm(staff_client, [first, second], successor, year=2025, note="Réunis en juin 2025.")

    assert response.redirect_chain[-1][0] == CHANGELIST
    page = response.content.decode()
    assert "« Pôle Alpha », « Pôle Bêta » ont fusionné dans « Pôle Réuni »" in page
    for pole in (first, second):
        pole.refresh_from_db()
        assert (pole.fate, pole.successor, pole.fate_year, pole.fate_note) == (
            Pole.Fate.MERGED, successor, 2025, "Réunis en juin 2025."
        )
        old = staff_client.get(pole.get_absolute_url())
        assert old.status_code == 301
        assert old["Location"] == "/poles/pole-reuni/"


def test_the_successor_page_names_the_merged_poles_without_a_link_back_to_itself(client, staff_client):
    successor = make_pole(name="Pôle Réuni", slug="pole-reuni")
    merged = make_pole(name="Pôle Alpha", slug="pole-alpha")
    confirm(staff_client, [merged], successor, year=2025)

    html = client.get("/poles/pole-reuni/").content.decode()
    predecessors = re.search(r"Pôles fondus dans celui-ci</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert "Pôle Alpha" in predecessors
    assert '<time datetime="2025">2025</time>' in predecessors
    assert 'href="/poles/pole-alpha/"' not in html
    # The same in English, where the merged pôle's English address redirects to the successor's.
    english = client.get("/en/poles/pole-reuni/").content.decode()
    assert "Pôle Alpha" in english and 'href="/en/poles/pole-alpha/"' not in english
    assert client.get("/en/poles/pole-alpha/")["Location"] == "/en/poles/pole-reuni/"


def test_older_mergers_keep_their_page_and_their_link(client):
    # Pégase merged into SAFE Cluster in 2015, long before this site: its page still tells its own history.
    assert client.get("/poles/pegase/").status_code == 200
    assert 'href="/poles/pegase/"' in client.get("/poles/safe-cluster/").content.decode()


def test_members_stay_members_of_the_pole_they_joined(staff_client):
    successor, merged = make_pole(), make_pole()
    membership = make_membership(merged, make_organisation())
    confirm(staff_client, [merged], successor)
    assert Membership.objects.get(pk=membership.pk).pole == merged
    assert not Membership.objects.filter(pole=successor).exists()


def test_the_merger_is_in_the_admin_history_of_each_pole(staff_client):
    successor = make_pole(name="Pôle Réuni")
    merged = make_pole(name="Pôle Alpha")
    confirm(staff_client, [merged], successor, year=2025)
    entry = LogEntry.objects.get(object_id=str(merged.pk), content_type__model="pole")
    assert entry.user.username == "admin"
    assert "Fusionné dans « Pôle Réuni » (2025)" in entry.get_change_message()
    received = LogEntry.objects.get(object_id=str(successor.pk), content_type__model="pole")
    assert "Pôle Alpha" in received.get_change_message()
    history = staff_client.get(f"{CHANGELIST}{merged.pk}/history/").content.decode()
    assert "Fusionné dans « Pôle Réuni »" in history


def test_a_merged_page_leaves_the_sitemap(client, staff_client):
    successor, merged = make_pole(slug="pole-reuni"), make_pole(slug="pole-alpha")
    confirm(staff_client, [merged], successor)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/poles/pole-reuni/" in sitemap
    assert "/poles/pole-alpha/" not in sitemap


def test_a_successor_that_merges_in_turn_takes_its_predecessors_along(client, staff_client):
    first, second, third = make_pole(slug="premier"), make_pole(slug="deuxieme"), make_pole(slug="troisieme")
    confirm(staff_client, [first], second)
    confirm(staff_client, [second], third)
    assert client.get("/poles/premier/")["Location"] == "/poles/troisieme/"
    assert client.get("/poles/deuxieme/")["Location"] == "/poles/troisieme/"


def test_renaming_the_successor_keeps_the_merged_addresses_working(client, staff_client):
    successor, merged = make_pole(slug="pole-reuni"), make_pole(slug="pole-alpha")
    confirm(staff_client, [merged], successor)
    successor.slug = "pole-reuni-2"
    successor.save()
    assert client.get("/poles/pole-alpha/")["Location"] == "/poles/pole-reuni-2/"


def test_undoing_a_merger_in_the_pole_form_brings_its_page_back(client, staff_client):
    successor, merged = make_pole(), make_pole(slug="pole-alpha")
    confirm(staff_client, [merged], successor)
    merged.refresh_from_db()
    merged.fate, merged.successor, merged.fate_year = Pole.Fate.ACTIVE, None, None
    merged.save()
    assert client.get("/poles/pole-alpha/").status_code == 200


def test_changing_the_successor_in_the_pole_form_moves_the_redirect(client, staff_client):
    wrong, right, merged = make_pole(), make_pole(slug="le-bon"), make_pole(slug="pole-alpha")
    confirm(staff_client, [merged], wrong)
    merged.refresh_from_db()
    merged.successor = right
    merged.save()
    assert client.get("/poles/pole-alpha/")["Location"] == "/poles/le-bon/"


# Refusals: a clear message, and nothing written


def test_a_pole_cannot_merge_into_itself(staff_client):
    first, second = make_pole(name="Pôle Alpha"), make_pole(name="Pôle Bêta")
    html = confirm(staff_client, [first, second], second).content.decode()
    assert "« Pôle Bêta » fait partie des pôles à fusionner : un pôle ne peut pas fusionner dans lui-même." in html
    assert unchanged(first, second)


def test_a_pole_cannot_merge_into_a_pole_that_has_merged(staff_client):
    final = make_pole(name="Pôle Final")
    gone = make_pole(name="Pôle Disparu", fate=Pole.Fate.MERGED, successor=final, fate_year=2019)
    candidate = make_pole(name="Pôle Alpha")
    html = confirm(staff_client, [candidate], gone).content.decode()
    assert "« Pôle Disparu » a lui-même fusionné dans « Pôle Final » : choisissez plutôt ce dernier." in html
    assert unchanged(candidate, gone)


def test_a_pole_that_has_merged_cannot_merge_again(staff_client):
    final = make_pole(name="Pôle Final")
    gone = make_pole(name="Pôle Disparu", fate=Pole.Fate.MERGED, successor=final, fate_year=2019)
    response = choose(staff_client, [gone, make_pole()])
    html = response.content.decode()
    assert "« Pôle Disparu » a déjà fusionné dans « Pôle Final »." in html
    assert 'name="confirm"' not in html  # no form to go on with
    assert unchanged(gone)


def test_a_pole_cannot_merge_into_an_unpublished_pole(staff_client):
    draft, candidate = make_pole(name="Pôle Brouillon", status="draft"), make_pole()
    html = confirm(staff_client, [candidate], draft).content.decode()
    assert "« Pôle Brouillon » n&#x27;est pas publié" in html
    assert unchanged(candidate)


@pytest.mark.parametrize("year", ["", "2003", str(timezone.localdate().year + 2)])
def test_the_year_is_required_and_plausible(staff_client, year):
    successor, candidate = make_pole(), make_pole()
    response = confirm(staff_client, [candidate], successor, year=year)
    assert response.redirect_chain == []
    assert 'class="errorlist' in response.content.decode()
    assert unchanged(candidate)


def test_a_successor_is_required(staff_client):
    candidate = make_pole()
    response = confirm(staff_client, [candidate], None)
    assert "Ce champ est obligatoire." in response.content.decode()
    assert unchanged(candidate)


def test_nothing_is_half_written_when_the_merger_fails_midway(monkeypatch):
    successor, first, second = make_pole(), make_pole(), make_pole()
    manager = type(Redirect.objects)
    original, calls = manager.supersede, []

    def fail_on_the_second(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu de la fusion")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(manager, "supersede", fail_on_the_second)
    with pytest.raises(RuntimeError):
        merge_poles([first, second], successor, 2026)
    assert len(calls) == 2  # the first pôle had been merged and redirected when the second failed
    assert unchanged(first, second)


def test_merge_poles_checks_again_what_the_form_checked():
    first, second = make_pole(), make_pole()
    with pytest.raises(ValidationError):
        merge_poles([first, second], second, 2026)
    assert unchanged(first, second)


# Access


def test_staff_who_may_only_view_poles_are_not_offered_the_merger(client):
    viewer = User.objects.create_user("lecteur", password="un-mot-de-passe-solide", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_pole"))
    client.force_login(viewer)
    assert ACTION not in client.get(CHANGELIST).content.decode()
    first, second = make_pole(), make_pole()
    confirm(client, [first], second)
    assert unchanged(first, second)
