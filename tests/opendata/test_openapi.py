"""The OpenAPI description tells the truth: Schemathesis sends each operation requests drawn from it (valid and not)
and checks every real answer against it — status, content type, headers, the JSON schema of the body."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from opendata import openapi

pytestmark = pytest.mark.django_db

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def site():
    """The site as a WSGI application, answering in the test's transaction (as Django's test client does, the
    connection is not closed at the end of each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Built as the view builds it (no database needed), so that pytest can make one test per operation when it collects;
# the test below checks the view serves this very description.
schema = schemathesis.openapi.from_dict(openapi.document("http://testserver"))


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_matches_the_description(case, site):
    case.call_and_validate(app=site, checks=CHECKS)


def test_the_description_served_is_the_one_tested(client):
    assert client.get("/api/v1/openapi.json").json() == json.loads(json.dumps(openapi.document("http://testserver")))


def test_the_description_names_every_list_dataset_and_error(client):
    description = client.get("/api/v1/openapi.json").json()
    assert description["openapi"].startswith("3.1")
    assert description["info"]["license"]["url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    for path in ("/api/v1/poles/", "/api/v1/poles/{slug}/", "/api/v1/membres/", "/api/v1/membres/{slug}/",
                 "/api/v1/evenements/", "/api/v1/evenements/{slug}/", "/api/v1/recherche/", "/donnees/poles.json"):
        assert path in description["paths"], path
    parameters = {p["name"] for p in description["paths"]["/api/v1/poles/"]["get"]["parameters"]}
    assert parameters == {"q", "region", "theme", "phase", "status", "sort", "page", "page_size"}
    assert set(description["paths"]["/api/v1/poles/"]["get"]["responses"]) == {"200", "400", "404"}


def test_an_empty_parameter_means_no_criterion_and_the_description_says_so(client):
    """Found by Schemathesis: `?year=` was answered (no criterion, as in the HTML list) but described as an integer."""
    description = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in description["paths"]["/api/v1/evenements/"]["get"]["parameters"]}
    for name in ("year", "page", "page_size"):
        assert {"type": "string", "enum": [""]} in parameters[name]["anyOf"], name
        assert client.get("/api/v1/evenements/", {name: ""}).status_code == 200, name
    assert client.get("/api/v1/evenements/", {"year": "deux-mille"}).status_code == 400
