from __future__ import annotations

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """What every page needs to know about the site as a whole, computed once and lazily."""
    from poles.models import Pole

    def has_synthetic_data() -> bool:
        # seed_demo always makes synthetic pôles, and --clear removes them last: one query tells.
        return Pole.objects.synthetic().exists()

    # A callable, so the query only runs on pages that render the banner's test.
    return {"has_synthetic_data": has_synthetic_data}
