"""The database stops: every page answers at once — from the cache if it was there, else a plain 503 — and the site
serves again by itself once the database is back.

A real PostgreSQL server (started here) and the site served by gunicorn as in production; the server is stopped as
a crash would stop it, then started again.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from tests.served_site import served_site

pytestmark = pytest.mark.server

PAGES = [
    "/",
    "/poles/",
    "/poles/?region=auvergne-rhone-alpes",
    "/membres/",
    "/evenements/",
    "/evenements/?q=Pellerin",
    "/politique/",
    "/politique/chiffres-cles/",
    "/intervenants/fleur-pellerin/",
]


def fetch(url: str, timeout: float = 10) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


@pytest.fixture(scope="module")
def site_on_postgres():
    from tests.postgres_server import PostgresServer

    database = PostgresServer().start()
    try:
        with served_site({"DATABASE_URL": database.url}) as url:
            yield url, database
    finally:
        database.stop()


def test_pages_answer_503_quickly_while_the_database_is_down_and_recover_by_themselves(site_on_postgres):
    url, database = site_on_postgres
    for page in PAGES:
        assert fetch(url + page)[0] == 200, page

    database.halt()
    try:
        for page in PAGES:
            # A page nobody asked for since the last change needs the database: a plain 503, quickly.
            unseen = page + ("&" if "?" in page else "?") + "vu=non"
            status, body, elapsed = fetch(url + unseen)
            assert status == 503, unseen
            assert elapsed < 2, (unseen, elapsed)
            assert "momentanément indisponible" in body
            assert "Traceback" not in body and "OperationalError" not in body
            # A page already in the cache keeps being served as it was: the content has not changed.
            status, body, elapsed = fetch(url + page)
            assert status == 200 and elapsed < 2, (page, status, elapsed)
    finally:
        database.resume()

    deadline = time.monotonic() + 20
    while fetch(url + "/")[0] != 200:
        assert time.monotonic() < deadline, "the site did not recover after the database came back"
        time.sleep(0.5)
    for page in PAGES:
        assert fetch(url + page)[0] == 200, page
