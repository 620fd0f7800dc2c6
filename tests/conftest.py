"""Shared test set-up.

The suite runs twice in `make test`: on SQLite (the embedded default) and with `--engine=postgres`, against a real
PostgreSQL server started here. Database tests see the real fixtures, loaded once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command


def pytest_addoption(parser):
    parser.addoption(
        "--engine",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="Database engine for the database tests (postgres starts a throwaway server).",
    )


def pytest_configure(config):
    from django.conf import settings

    # Tests render templates without running collectstatic first.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # One process: a memory cache, emptied before each test (rolled-back transactions never move the version).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-axes refuses logins made without a request, as the test client's login() does; the tests of the
    # lock-out turn it back on with the `axes_enabled` fixture.
    settings.AXES_ENABLED = False


@pytest.fixture
def axes_enabled(settings):
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    from config.page_cache import recent_pages
    from poles import versioning

    cache.clear()
    # Each test starts its content version at "tests" again: pages a previous test kept in memory must go too.
    recent_pages.clear()
    # As a running site's cache knows it: a content version, and nothing scheduled in the real fixtures. Pages then
    # cost in tests what they cost on the site, where the version is worked out once per change, not per page.
    cache.set(versioning.KEY, ("tests", None), None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request to /en/… leaves English active in the thread (LocaleMiddleware activates a
    language per request and never deactivates it), which reverse() and render_to_string() would then use."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def engine(request) -> str:
    return request.config.getoption("--engine")


@pytest.fixture(scope="session")
def postgres_server(request):
    from tests.postgres_server import PostgresServer

    server = PostgresServer().start()
    request.addfinalizer(server.stop)
    return server


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, engine):
    if engine != "postgres":
        return
    from django.conf import settings
    from django.db import connections

    server = request.getfixturevalue("postgres_server")
    connections.close_all()
    settings.DATABASES["default"].update(server.django_settings())
    settings.DATABASES["default"]["OPTIONS"] = dict(settings.POSTGRES_OPTIONS)  # planned as in production
    settings.DATABASES["default"]["TEST"]["NAME"] = "test_poles"
    # Any connection object made before this point still holds the SQLite settings.
    for alias in list(connections):
        if hasattr(connections._connections, alias):
            delattr(connections._connections, alias)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real data of fixtures/, loaded once; each test runs in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        call_command("load_real_data", verbosity=0)
