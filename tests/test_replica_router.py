"""With a read replica configured, anonymous page views read from it; staff, forms and writes use the primary."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.middleware import PublicReadsFromReplicaMiddleware
from config.routers import ReplicaRouter, public_read
from poles.models import Pole

WITH_REPLICA = {"default": {"ENGINE": "django.db.backends.sqlite3"}, "replica": {"ENGINE": "django.db.backends.sqlite3"}}


def database_read_during(request) -> str:
    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(Pole))
        return HttpResponse()

    PublicReadsFromReplicaMiddleware(view)(request)
    return seen[0]


@pytest.mark.parametrize(
    "method, cookies, expected",
    [("get", {}, "replica"), ("head", {}, "replica"), ("post", {}, "default"), ("get", {"sessionid": "x"}, "default")],
)
def test_only_anonymous_reads_go_to_the_replica(method, cookies, expected):
    request = getattr(RequestFactory(), method)("/poles/")
    request.COOKIES.update(cookies)
    with override_settings(DATABASES=WITH_REPLICA):
        assert database_read_during(request) == expected


def test_without_a_replica_everything_reads_the_primary():
    assert database_read_during(RequestFactory().get("/poles/")) == "default"


def test_writes_and_migrations_always_go_to_the_primary():
    router = ReplicaRouter()
    token = public_read.set(True)
    try:
        with override_settings(DATABASES=WITH_REPLICA):
            assert router.db_for_write(Pole) == "default"
            assert router.allow_migrate("replica", "poles") is False
            assert router.allow_migrate("default", "poles") is True
    finally:
        public_read.reset(token)
