from __future__ import annotations

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """What every page needs to know about the site as a whole, computed once and lazily."""
    from poles.models import Pole

    return {
        "SITE_NAME": "Pôles de compétitivité",
        "has_synthetic_data": lambda: Pole.objects.synthetic().exists(),
    }
