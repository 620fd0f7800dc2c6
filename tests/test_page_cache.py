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


def test_each_language_has_its_own_cached_page_and_etag(client, django_assert_num_queries):
    french = client.get("/poles/")
    assert french["Content-Language"] == "fr" and '<html lang="fr"' in french.content.decode()
    # The French page is in the cache: the English one at the same path under /en/ must not come from it.
    english = client.get("/en/poles/")
    assert english["Content-Language"] == "en" and '<html lang="en"' in english.content.decode()
    assert english["ETag"] != french["ETag"]
    assert client.get("/en/poles/", HTTP_IF_NONE_MATCH=french["ETag"]).status_code == 200
    assert client.get("/poles/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200
    # Both now come from the cache, each in its language, with its language's headers.
    with django_assert_num_queries(0):
        again_english, again_french = client.get("/en/poles/"), client.get("/poles/")
    assert '<html lang="en"' in again_english.content.decode() and again_english["Content-Language"] == "en"
    assert '<html lang="fr"' in again_french.content.decode() and again_french["Content-Language"] == "fr"
    assert client.get("/en/poles/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 304


def test_the_cache_key_names_the_language_of_the_address():
    from django.test import RequestFactory

    from config.page_cache import page_language

    factory = RequestFactory()
    assert page_language(factory.get("/poles/")) == "fr"
    assert page_language(factory.get("/en/poles/")) == "en"
    assert page_language(factory.get("/english/")) == "fr"
    # Neither a language cookie nor the browser's languages choose the language of an address.
    assert page_language(factory.get("/poles/", HTTP_ACCEPT_LANGUAGE="en")) == "fr"


def test_a_browser_asking_for_english_still_gets_the_french_page_at_a_french_address(client):
    response = client.get("/poles/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="fr"' in response.content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="fr"' in client.get("/membres/").content.decode()


def test_after_a_deploy_pages_show_the_new_templates_and_old_etags_are_not_honoured(client, settings, tmp_path):
    """A deploy changes what the same content renders to: the release is part of every cache key and ETag."""
    import copy

    (tmp_path / "includes").mkdir()
    footer = (settings.BASE_DIR / "templates" / "includes" / "footer.html").read_text()
    (tmp_path / "includes" / "footer.html").write_text(footer + "<p>Pied de page de la nouvelle version</p>")
    new_templates = copy.deepcopy(settings.TEMPLATES)
    new_templates[0]["DIRS"] = [tmp_path, *new_templates[0]["DIRS"]]

    settings.RELEASE_ID = "ancienne-version"
    before = client.get("/poles/")
    assert "nouvelle version" not in before.content.decode()
    settings.TEMPLATES = new_templates
    # Same release: the cached page is still the old one (this is what the release in the key is for).
    assert "nouvelle version" not in client.get("/poles/").content.decode()
    settings.RELEASE_ID = "nouvelle-version"
    after = client.get("/poles/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "Pied de page de la nouvelle version" in after.content.decode()


def test_the_release_fingerprint_follows_the_templates_and_the_code(tmp_path):
    from config.release import fingerprint

    (tmp_path / "templates").mkdir()
    (tmp_path / "poles").mkdir()
    (tmp_path / "templates" / "base.html").write_text("<html lang=\"fr\">")
    (tmp_path / "poles" / "views.py").write_text("x = 1\n")
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    (tmp_path / "templates" / "base.html").write_text("<html lang=\"fr\"><main>")
    second = fingerprint(tmp_path)
    assert second != first
    (tmp_path / "poles" / "views.py").write_text("x = 2\n")
    assert fingerprint(tmp_path) not in {first, second}


def test_pages_kept_in_memory_follow_the_version_another_instance_moves(client):
    """Each process keeps its recent pages in memory; the content version, read from the shared cache on every request,
    still decides: a change made elsewhere shows at once."""
    from poles import versioning

    assert "Mobilité réinventée" not in client.get("/poles/cara/").content.decode()
    # Written by another instance: no signal reaches this process, only the version it moves in the shared cache.
    Pole.objects.filter(slug="cara").update(name="Mobilité réinventée")
    versioning.bump()
    assert "Mobilité réinventée" in client.get("/poles/cara/").content.decode()


def test_pages_in_memory_are_bounded_and_the_least_recently_used_go_first():
    from config.page_cache import RecentPages

    pages = RecentPages(limit=10)
    pages.put("a", (b"aaaa", []))
    pages.put("b", (b"bbbb", []))
    assert pages.get("a") is not None  # "a" is now the most recently used
    pages.put("c", (b"cccc", []))
    assert pages.size <= 10
    assert pages.get("b") is None and pages.get("a") is not None and pages.get("c") is not None
    pages.put("huge", (b"x" * 11, []))  # larger than the whole memory: not kept, nothing evicted for it
    assert pages.get("huge") is None and pages.get("a") is not None


def test_pages_in_memory_are_kept_a_minute_at_most():
    """What a page shows may depend on the day: the shared cache keeps it an hour, memory adds a minute at most."""
    import time_machine

    from config.page_cache import RecentPages

    pages = RecentPages(limit=100, seconds=60)
    with time_machine.travel(datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        pages.put("a", (b"aaaa", []))
        traveller.shift(59)
        assert pages.get("a") is not None
        traveller.shift(2)
        assert pages.get("a") is None
        assert pages.size == 0
