"""Whole public pages from the cache, never stale: keyed on the content version (poles.versioning), with ETags.

What is cached: the 200 answers to anonymous GET and HEAD requests (no session cookie) that set no cookie, are not
streamed and do not forbid it (`Cache-Control: private` or `no-store`, as staff previews do). Anything that changes
content moves the version, so the next request renders afresh; entries also expire after PAGE_CACHE_SECONDS, which
bounds whatever else a page may show that depends on the day.

The Content-Security-Policy nonce must differ on every response: the page is stored with a placeholder where the
nonce was, and each answer gets a fresh one, in the body and in the header alike. Only HTML bodies carry it: CSV,
JSON and the other data are stored and answered byte for byte. Streamed answers (whole datasets) are not stored but
get the ETag all the same.

Any request that may write (POST and the like) and succeeds also moves the version: admin actions that update in
bulk send no signal.

Each process also keeps the pages it last served in memory (RecentPages), under the same versioned keys: a page asked
again then costs no read of the shared cache (a file read and the decompression of the whole page: a third of the
answer's time). It is never stale for the same reason as the shared cache: the content version is read from the shared
cache on every request, and a page is only ever found under the version it was rendered for.

Every public answer carries an ETag made of the content version, the language and the address, so a browser or a
proxy that already has the page gets a 304 without a body, and the page is revalidated each time
(`Cache-Control: no-cache`).

The language is part of the key and of the ETag: this middleware runs before LocaleMiddleware, and a page of one
language must never answer for the other. The language follows the address alone (settings: /en/… is English,
anything else French), so it is read from the path here exactly as LocaleMiddleware will read it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path

from poles import versioning

PAGE_CACHE_SECONDS = 3600
NONCE_PLACEHOLDER = "\x00csp-nonce\x00"
CACHED_TYPES = ("text/html", "text/csv", "application/json", "application/atom+xml", "text/calendar", "text/plain",
                "application/xml")


class RecentPages:
    """The pages this process served last, by cache key, up to `limit` bytes of content: least recently used go first.

    Each is kept `seconds` at most, so that a page held here outlives its shared-cache entry (PAGE_CACHE_SECONDS, which
    bounds what a page shows that depends on the day) by that much at most."""

    def __init__(self, limit: int, seconds: float = 60) -> None:
        self.limit = limit
        self.seconds = seconds
        self.size = 0
        self._pages: OrderedDict[str, tuple[float, tuple[bytes, list]]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's sync workers have one thread; a threaded server has several

    def get(self, key: str):
        with self._lock:
            kept = self._pages.get(key)
            if kept is None:
                return None
            expires, stored = kept
            if time.time() >= expires:
                self._remove(key)
                return None
            self._pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple[bytes, list]) -> None:
        if len(stored[0]) > self.limit:
            return
        with self._lock:
            self._remove(key)
            self._pages[key] = (time.time() + self.seconds, stored)
            self.size += len(stored[0])
            while self.size > self.limit:
                self._remove(next(iter(self._pages)))

    def _remove(self, key: str) -> None:
        kept = self._pages.pop(key, None)
        if kept is not None:
            self.size -= len(kept[1][0])

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0


# Per process: with gunicorn's 2 × cores + 1 workers, a few hundred pages each for 16 MB.
recent_pages = RecentPages(limit=16 * 1024 * 1024)


def _is_public_request(request: HttpRequest) -> bool:
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_language(request: HttpRequest) -> str:
    """The language the page at this address is written in: its /<lang>/ prefix, or the default language."""
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _cacheable(response: HttpResponse, streamed: bool = False) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and response.streaming == streamed
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and response.get("Content-Type", "").startswith(CACHED_TYPES)
    )


def _nonce_in_body(content_type: str) -> bool:
    """Only HTML pages carry the nonce in their body (their scripts); any other body is data, kept byte for byte."""
    return content_type.startswith("text/html")


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            response = self.get_response(request)
            if response.status_code < 400:
                # A form or an admin action went through: bulk updates send no signal, so move the version here too.
                versioning.bump()
            return response
        if not _is_public_request(request) or request.path.startswith(f"/{settings.ADMIN_URL}"):
            return self.get_response(request)
        version = versioning.current()
        language = page_language(request)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:20]}-{language}-{address[:16]}"'
        if etag in request.headers.get("If-None-Match", ""):
            return self._not_modified(etag)
        key = f"page:{version}:{language}:{address}"
        stored = recent_pages.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                recent_pages.put(key, stored)
        if stored is not None:
            return self._from_cache(request, stored, etag)
        response = self.get_response(request)
        if _cacheable(response):
            response["ETag"] = etag
            self._mark(response)
            stored = self._storable(request, response)
            cache.set(key, stored, PAGE_CACHE_SECONDS)
            recent_pages.put(key, stored)
        elif _cacheable(response, streamed=True):
            # Too big to keep (a whole dataset, an export), but named by the version all the same: a 304 spares it.
            response["ETag"] = etag
            self._mark(response)
        return response

    @staticmethod
    def _mark(response: HttpResponse) -> None:
        response["Cache-Control"] = "no-cache"  # may be kept, but asked again each time (answered by a 304)
        patch_vary_headers(response, ["Cookie"])

    @staticmethod
    def _not_modified(etag: str) -> HttpResponse:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
        nonce = getattr(request, "csp_nonce", None) or str(getattr(request, "_csp_nonce", "") or "")
        content = response.content
        headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
        if nonce:
            if _nonce_in_body(response.get("Content-Type", "")):
                content = content.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
            headers = [(name, value.replace(nonce, NONCE_PLACEHOLDER)) for name, value in headers]
        return content, headers

    @staticmethod
    def _from_cache(request: HttpRequest, stored, etag: str) -> HttpResponse:
        content, headers = stored
        nonce = secrets.token_urlsafe(16)
        content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
        if _nonce_in_body(content_type):
            content = content.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value.replace(NONCE_PLACEHOLDER, nonce)
        response["ETag"] = etag
        response["Content-Length"] = str(len(response.content))
        return response
