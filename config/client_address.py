"""The visitor's address as the login throttle counts it (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's. Each trusted proxy appends the address it received the
request from to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; what is further left
came from the client itself and may be forged.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
