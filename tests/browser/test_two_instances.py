"""Two instances of the site on one PostgreSQL and one Redis: a change published through one is seen at once on the
other, although the other had the page in the shared cache (the content version lives in Redis)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.served_site import ROOT, free_port, served_site

pytestmark = pytest.mark.browser

PASSWORD = "Un mot de passe assez long pour la production"


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: install the Debian package redis-server")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def database_url(postgres_server):
    import psycopg

    with psycopg.connect(postgres_server.url, autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS two_instances")
        db.execute("CREATE DATABASE two_instances")
    return postgres_server.url.rsplit("/", 1)[0] + "/two_instances"


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["ETag"]


def text_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_a_change_through_one_instance_shows_at_once_on_the_other(page, database_url, redis_url):
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url}
    with served_site(env) as first, served_site(env, prepare=False) as second:
        subprocess.run(
            [sys.executable, "manage.py", "createsuperuser", "--noinput"],
            cwd=ROOT, check=True, capture_output=True,
            env={**os.environ, **env, "DJANGO_SUPERUSER_USERNAME": "redaction", "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                 "DJANGO_SUPERUSER_EMAIL": "redaction@example.org"},
        )
        assert "Nom publié depuis la première instance" not in text_of(second + "/poles/cara/")
        # Both instances answer from the same content version: the same ETag, the page is in the shared cache.
        assert etag_of(first + "/poles/cara/") == etag_of(second + "/poles/cara/")
        version_before = etag_of(second + "/poles/cara/")

        page.goto(first + "/admin/login/")
        page.fill("#id_username", "redaction")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(first + "/admin/poles/pole/?q=cara")
        page.get_by_role("link", name="CARA", exact=False).first.click()
        page.fill("#id_name", "CARA — Nom publié depuis la première instance")
        page.click("input[name=_save]")
        expect(page.locator(".messagelist .success")).to_contain_text("modifié")

        assert "Nom publié depuis la première instance" in text_of(second + "/poles/cara/")
        assert etag_of(second + "/poles/cara/") != version_before
        assert "Nom publié depuis la première instance" in text_of(second + "/poles/")
