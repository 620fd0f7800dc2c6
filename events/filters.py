from __future__ import annotations

import django_filters
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from events.models import Event
from poles.facets import FacetedFilterSet
from poles.models import Pole


class EventFilter(FacetedFilterSet):
    q = None  # full-text search of the archive is its own feature
    year = django_filters.NumberFilter(label=_("Année"), field_name="date", lookup_expr="year", min_value=1900, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Event.Kind.choices, empty_label=_("Tous"))
    pole = django_filters.ModelChoiceFilter(
        label=_("Pôle"), queryset=Pole.objects.published(), to_field_name="slug", field_name="sessions__poles",
        empty_label=_("Tous"), distinct=True,
    )

    facet_fields = {
        "year": ("year_value", None),
        "kind": ("kind", None),
        "pole": ("sessions__poles__slug", "sessions__poles__name"),
    }

    class Meta:
        model = Event
        fields = ["year", "kind", "pole"]

    def queryset_without(self, excluded):
        return super().queryset_without(excluded).annotate(year_value=ExtractYear("date"))
