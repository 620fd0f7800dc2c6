"""The hardened admin: its address, login throttling, passwords, cookies, CSRF, and a log of every action."""

from __future__ import annotations

import datetime
import importlib
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver
from django.utils import timezone

import config.urls
from events.models import Person
from poles.admin_audit import LoggedActionsMixin
from poles.roles import EDITOR
from tests.factories import STAFF_PASSWORD, make_person, make_staff

ROOT = Path(__file__).resolve().parents[1]

# The admin's address


@pytest.fixture
def restore_urls():
    yield
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_the_admin_lives_at_admin_by_default(client):
    assert settings.ADMIN_URL == "admin/"
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.django_db
def test_admin_url_moves_the_admin_and_the_old_address_is_not_found(client, restore_urls):
    with override_settings(ADMIN_URL="gestion-8f3k/"):
        importlib.reload(config.urls)
        clear_url_caches()

        response = client.get("/gestion-8f3k/")
        assert response.status_code == 302
        assert response["Location"].startswith("/gestion-8f3k/login/")
        assert client.get("/gestion-8f3k/login/").status_code == 200
        client.force_login(make_staff(EDITOR))
        assert client.get("/gestion-8f3k/events/person/").status_code == 200
        assert client.get("/admin/").status_code == 404
        assert client.get("/admin/login/").status_code == 404


def read_settings(names: list[str], **env: str) -> subprocess.CompletedProcess:
    """Settings as a fresh process reads them from its environment."""
    script = f"from config import settings; print(*(getattr(settings, n) for n in {names!r}))"
    ours = {"ADMIN_URL", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    environ = {key: value for key, value in os.environ.items() if key not in ours}
    command = [sys.executable, "-c", script]
    return subprocess.run(command, env={**environ, **env}, cwd=ROOT, capture_output=True, text=True)


def test_admin_url_is_read_from_the_environment_with_or_without_slashes():
    assert read_settings(["ADMIN_URL"], ADMIN_URL="/gestion-8f3k").stdout.split() == ["gestion-8f3k/"]
    assert read_settings(["ADMIN_URL"]).stdout.split() == ["admin/"]


# Login throttling (django-axes)


def log_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def editor(axes_enabled):
    return make_staff(EDITOR, username="claire")


def is_logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_five_failures_lock_the_account_out_from_that_address_for_fifteen_minutes(client, editor, caplog):
    caplog.set_level(logging.WARNING)
    for _ in range(4):
        response = log_in(client, "claire", "mauvais mot de passe")
        assert response.status_code == 200
        assert 'class="errornote"' in response.content.decode()  # the login form and its error, not the lock-out

    locked = log_in(client, "claire", "mauvais mot de passe")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "Après 5 essais de connexion infructueux" in html
    assert "pendant 15 minutes" in html
    assert 'class="fr-alert fr-alert--warning' in html  # the site's DSFR page, not a bare message

    assert log_in(client, "claire", STAFF_PASSWORD).status_code == 429
    assert not is_logged_in(client)
    assert AccessFailureLog.objects.filter(username="claire").count() >= 5
    assert "Locking out" in caplog.text
    assert caplog.text.count("login failure") >= 5

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert log_in(client, "claire", STAFF_PASSWORD).status_code == 302
        assert is_logged_in(client)


@pytest.mark.django_db
def test_the_lock_out_holds_one_username_from_one_address(editor):
    attacker = Client()
    for _ in range(5):
        log_in(attacker, "claire", "mauvais mot de passe")
    assert log_in(attacker, "claire", STAFF_PASSWORD).status_code == 429

    elsewhere = Client()
    assert log_in(elsewhere, "claire", STAFF_PASSWORD, address="198.51.100.7").status_code == 302
    make_staff(EDITOR, username="louis")
    colleague = Client()
    assert log_in(colleague, "louis", STAFF_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_lock_out_follows_the_client_not_the_proxy(settings, editor):
    """In production every request comes from the proxy's address: the throttle reads the client's from the entry the
    proxy appended to X-Forwarded-For, and ignores what the client wrote there itself."""
    settings.PROXY_COUNT = 1

    def through_proxy(client: Client, password: str, forwarded: str):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "claire", "password": password, "next": "/admin/"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    attacker = Client()
    for attempt in range(5):  # each time pretending to come from somewhere else
        through_proxy(attacker, "mauvais mot de passe", f"10.0.0.{attempt}, 203.0.113.9")
    assert through_proxy(attacker, STAFF_PASSWORD, "10.9.9.9, 203.0.113.9").status_code == 429

    colleague = Client()  # the same proxy, another visitor
    assert through_proxy(colleague, STAFF_PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_starts_the_count_again(client, editor):
    for _ in range(4):
        log_in(client, "claire", "mauvais mot de passe")
    assert log_in(client, "claire", STAFF_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "claire", "mauvais mot de passe")

    assert log_in(client, "claire", STAFF_PASSWORD).status_code == 302


# Passwords


@pytest.mark.parametrize(
    "password",
    ["Zq8!vR2#kLm", "849301275562", "qwerty123456", "telechargement", "claire.martin.1"],
    ids=["eleven characters", "digits only", "common", "common in French", "like the username"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, user=User(username="claire.martin", first_name="Claire", last_name="Martin"))


def test_a_long_uncommon_password_is_accepted():
    validate_password("Zq8!vR2#kLm4", user=User(username="claire.martin"))
    validate_password(STAFF_PASSWORD, user=User(username="claire.martin"))


# Cookies


def test_session_and_csrf_cookies_are_secure_in_production_and_the_session_cookie_is_http_only():
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"]

    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k3-Vq9!xZ2rT7wLp0sN4eB8yH1cJ6mF5gD3aQ7uR2iO9tY4zX-w8Ee5Rr1Tt6Yy0",
        "ALLOWED_HOSTS": "poles.example.gouv.fr",
        "DATABASE_URL": "postgres://poles:secret@db.example/poles",
    }
    assert read_settings(names, **production).stdout.split() == ["True", "True", "True"]
    assert read_settings(names).stdout.split() == ["False", "False", "True"]  # local http://127.0.0.1 works
    refused = read_settings(names, DJANGO_ENV="prod")
    assert refused.returncode != 0 and "DJANGO_ENV must be development or production" in refused.stderr


# CSRF


def every_url_pattern(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from every_url_pattern(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf_protection():
    patterns = list(every_url_pattern())

    assert any(route.startswith("admin/") for route, _ in patterns)
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert [route for route, view in patterns if getattr(view, "csrf_exempt", False)] == []


@pytest.mark.django_db
def test_admin_posts_without_a_csrf_token_are_refused():
    client = Client(enforce_csrf_checks=True)
    assert log_in(client, "personne", "peu importe").status_code == 403

    person = make_person(status="draft")
    client.force_login(make_staff(EDITOR))
    response = client.post(f"/admin/events/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


# Every admin action is logged


def test_every_content_admin_logs_its_bulk_actions():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"poles", "events", "policy"}:
            assert isinstance(model_admin, LoggedActionsMixin), model


@pytest.fixture
def person_admin_with_an_action(monkeypatch):
    @admin.action(description="Repasser les %(verbose_name_plural)s en brouillon")
    def send_back_for_review(modeladmin, request, queryset):
        queryset.update(status="draft")

    monkeypatch.setattr(admin.site._registry[Person], "actions", [send_back_for_review])


@pytest.mark.django_db
def test_a_bulk_action_writes_one_log_entry_per_object(client, person_admin_with_an_action):
    editor = make_staff(EDITOR)
    people = [make_person(status="published") for _ in range(2)]
    client.force_login(editor)

    response = client.post(
        "/admin/events/person/?status__exact=published",
        {"action": "send_back_for_review", "_selected_action": [person.pk for person in people]},
    )

    assert response.status_code == 302
    entries = LogEntry.objects.filter(user=editor, action_flag=CHANGE)
    assert sorted(int(entry.object_id) for entry in entries) == sorted(person.pk for person in people)
    assert {entry.get_change_message() for entry in entries} == {"Action « Repasser les intervenants en brouillon »"}
    history = client.get(f"/admin/events/person/{people[0].pk}/history/").content.decode()
    assert "Repasser les intervenants en brouillon" in history


@pytest.mark.django_db
def test_every_action_of_the_content_admin_is_logged(client):
    """Every action the person admin offers (Django's bulk delete today, the publication actions with part A), run
    as an administrator would, leaves a log entry on the object it touched."""
    request = RequestFactory().get("/admin/events/person/")
    request.user = User.objects.create_superuser("direction", password=STAFF_PASSWORD)
    client.force_login(request.user)
    actions = admin.site._registry[Person].get_actions(request)
    assert "delete_selected" in actions

    for name in actions:
        person = make_person(status="published")
        client.post("/admin/events/person/", {"action": name, "_selected_action": [person.pk], "post": "yes"})
        assert LogEntry.objects.filter(object_id=str(person.pk), content_type__model="person").exists(), name
