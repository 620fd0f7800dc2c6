from __future__ import annotations

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """What every page needs to know about the site as a whole, computed once and lazily."""
    from events.models import Event
    from poles.models import Organisation, Pole

    def has_synthetic_data() -> bool:
        return any(model.objects.synthetic().exists() for model in (Pole, Organisation, Event))

    # A callable, so the query only runs on pages that render the banner's test.
    return {"has_synthetic_data": has_synthetic_data}
