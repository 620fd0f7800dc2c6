"""Public pages come from the cache when nothing changed, and never once something did; ETags give 304s."""

from __future__ import annotations

import datetime
import re

import pytest

from poles.models import Pole

pytestmark = pytest.mark.django_db

PAGES = ["/", "/poles/?region=auvergne-rhone-alpes&sort=name", "/poles/cara/", "/membres/", "/evenements/",
         "/evenements/?q=Pellerin", "/politique/", "/intervenants/fleur-pellerin/", "/sitemap.xml"]


def nonces(response) -> tuple[set[str], str]:
    body = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return body, header


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asked_again_comes_from_the_cache_without_any_query(client, path, django_assert_num_queries):
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    strip = lambda response: re.sub(rb"nonce[=-][\"']?[\w-]+", b"", response.content)  # noqa: E731
    assert strip(again) == strip(first)


def test_each_answer_has_a_fresh_nonce_in_the_page_and_the_header_alike(client):
    first, again = client.get("/poles/"), client.get("/poles/")
    (first_body, first_header), (again_body, again_header) = nonces(first), nonces(again)
    assert first_body == {first_header} and again_body == {again_header}
    assert first_header != again_header


def test_an_edit_shows_at_once(client):
    pole = Pole.objects.get(slug="cara")
    assert "CARA" in client.get("/poles/cara/").content.decode()
    pole.name = "CARA, pôle européen de la mobilité renommé"
    pole.save()
    assert "pôle européen de la mobilité renommé" in client.get("/poles/cara/").content.decode()
    assert "pôle européen de la mobilité renommé" in client.get("/poles/?sort=name").content.decode()


def test_a_scheduled_publication_shows_when_its_time_comes(client):
    import time_machine
    from django.utils import timezone

    opening = timezone.now() + datetime.timedelta(hours=3)
    pole = Pole.objects.get(slug="cara")
    pole.publish_at = opening
    pole.save()
    assert client.get("/poles/cara/").status_code == 404
    assert "/poles/cara/" not in client.get("/poles/").content.decode()
    with time_machine.travel(opening + datetime.timedelta(seconds=1)):
        assert client.get("/poles/cara/").status_code == 200
        assert "/poles/cara/" in client.get("/poles/").content.decode()


def test_etags_answer_304_until_something_changes(client):
    first = client.get("/poles/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    assert client.get("/poles/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Pole.objects.get(slug="cara").save()
    changed = client.get("/poles/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_staff_never_get_nor_leave_a_cached_page(client, admin_user, django_assert_max_num_queries):
    client.get("/poles/")  # cached for the public
    client.force_login(admin_user)
    staff_view = client.get("/poles/")
    assert "ETag" not in staff_view  # rendered for them, not from the cache
    client.logout()
    client.cookies.clear()
    public = client.get("/poles/")
    assert public.status_code == 200 and "ETag" in public
