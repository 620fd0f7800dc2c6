from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class CspNonceForDsfrMiddleware:
    """django-dsfr's base template reads `request.csp_nonce` (django-csp's name); Django keeps it elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = getattr(request, "_csp_nonce", None)
        if nonce is not None:
            request.csp_nonce = str(nonce)
        return self.get_response(request)
