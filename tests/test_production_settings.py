"""DJANGO_ENV=production: `check --deploy` is clean, secrets come from the environment or the site does not start,
and what a browser receives carries the security headers, with static files hashed, compressed and cached for long.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import urllib.request

import pytest

from tests.served_site import ROOT, served_site

pytestmark = pytest.mark.server


def production_env(tmp_path, **overrides) -> dict:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "poles.example.gouv.fr,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_reports_nothing(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, overrides, message):
    result = manage(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert message in result.stderr


def get(url: str, headers: dict) -> tuple[int, dict, bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_browser_gets_https_only_security_headers_and_long_lived_compressed_static_files(tmp_path):
    env = production_env(tmp_path)
    del env["DATABASE_URL"]  # served_site gives its own
    with served_site({**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}"}) as url:
        status, headers, _ = get(url + "/poles/", {"Host": "poles.example.gouv.fr"})
        assert status == 301 and headers["Location"].startswith("https://poles.example.gouv.fr/")

        https = {"Host": "poles.example.gouv.fr", "X-Forwarded-Proto": "https", "Accept-Encoding": "br, gzip"}
        status, headers, body = get(url + "/poles/", https)
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "includeSubDomains" in headers["Strict-Transport-Security"]
        script_src = re.search(r"script-src ([^;]*)", headers["Content-Security-Policy"]).group(1)
        assert "'unsafe-inline'" not in script_src and "'nonce-" in script_src
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"

        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
        status, headers, _ = get(url + stylesheet, https)
        assert status == 200
        assert headers["Content-Encoding"] == "br"
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
