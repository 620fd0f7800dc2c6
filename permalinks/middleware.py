from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from permalinks.models import Redirect


class RedirectFallbackMiddleware:
    """A page not found at an address that moved answers with a permanent redirect to where it lives now.

    Like django.contrib.redirects' middleware, it only looks on a 404 (one indexed query, on 404s only), so a live
    page always wins over an old redirect; unlike it, it needs no sites framework and keeps the query string.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        target = Redirect.objects.target_for(request)
        return HttpResponsePermanentRedirect(target) if target else response
