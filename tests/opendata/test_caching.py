"""The page cache keeps data byte for byte: only HTML pages get a fresh CSP nonce in their body."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.page_cache import NONCE_PLACEHOLDER, PublicPageCacheMiddleware
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_a_cached_answer_is_the_very_same_json(client, django_assert_num_queries):
    make_organisation(name="Organisation au nom étrange csp-nonce", slug="nom-etrange")
    first = client.get("/api/v1/membres/nom-etrange/")
    with django_assert_num_queries(0):
        again = client.get("/api/v1/membres/nom-etrange/")
    assert again.content == first.content
    assert again.json()["name"] == "Organisation au nom étrange csp-nonce"


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "text/csv; charset=utf-8", "application/json"])
def test_data_holding_the_placeholder_or_the_nonce_comes_back_unchanged(content_type):
    def view(request):
        nonce = str(request._csp_nonce)
        return HttpResponse(f"a{NONCE_PLACEHOLDER}b {nonce} c".encode(), content_type=content_type)

    middleware = PublicPageCacheMiddleware(view)
    request = RequestFactory().get("/donnees/essai")
    request._csp_nonce = "nonce-de-la-premiere-reponse"
    first = middleware(request)
    again = middleware(RequestFactory().get("/donnees/essai"))
    assert again.content == first.content == f"a{NONCE_PLACEHOLDER}b nonce-de-la-premiere-reponse c".encode()


def test_an_html_page_still_gets_a_fresh_nonce(client):
    first, again = client.get("/donnees/"), client.get("/donnees/")
    assert first.content != again.content
    assert first.content.replace(first.content.split(b'nonce="')[1].split(b'"')[0], b"N") == again.content.replace(
        again.content.split(b'nonce="')[1].split(b'"')[0], b"N"
    )
