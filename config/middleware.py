from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class CspNonceForDsfrMiddleware:
    """django-dsfr's base template reads `request.csp_nonce` (django-csp's name); Django keeps it elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = getattr(request, "_csp_nonce", None)
        if nonce is not None:
            request.csp_nonce = str(nonce)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer a plain 503 page at once (no trace, no waiting worker).

    The page is rendered without a request context, since the context processors read the database. Connections
    are checked before reuse (CONN_HEALTH_CHECKS), so the site serves again by itself as soon as the database is back.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError, connections
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        logger.error("Database unavailable for %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class PublicReadsFromReplicaMiddleware:
    """Marks anonymous GET and HEAD requests, whose reads config.routers sends to the replica (if there is one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from config.routers import public_read

        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        token = public_read.set(request.method in {"GET", "HEAD"} and anonymous)
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (Django has none of its own) from settings.PERMISSIONS_POLICY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
