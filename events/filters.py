from __future__ import annotations

import django_filters
from django import forms
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from events.models import Event, Person, SearchEntry, Session
from events.search import MAX_QUERY_LENGTH, parse_query
from poles.facets import FacetedFilterSet
from poles.models import Organisation, Pole


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


class ArchiveSearchFilter(FacetedFilterSet):
    """The journalists' search: a full-text query and facets over the hits (sessions and events)."""

    q = django_filters.CharFilter(label=_("Rechercher dans l'archive"), method="filter_text", max_length=MAX_QUERY_LENGTH)
    after = django_filters.DateFilter(
        label=_("Depuis le"), field_name="event__date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    before = django_filters.DateFilter(
        label=_("Jusqu'au"), field_name="event__date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="event__date", lookup_expr="year", min_value=1900, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Type d'événement"), field_name="event__kind", choices=Event.Kind.choices, empty_label=_("Tous"))
    session_kind = django_filters.ChoiceFilter(
        label=_("Type de séquence"), field_name="session__kind", choices=Session.Kind.choices, empty_label=_("Tous")
    )
    pole = django_filters.ModelChoiceFilter(
        label=_("Pôle"), queryset=Pole.objects.published(), to_field_name="slug", field_name="session__poles",
        empty_label=_("Tous"), distinct=True,
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Intervenant"), queryset=Person.objects.published(), to_field_name="slug",
        field_name="session__appearances__person", empty_label=_("Tous"), distinct=True,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.published(), to_field_name="slug",
        field_name="session__organisations", empty_label=_("Toutes"), distinct=True,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"), method="sort_by", empty_label=_("Pertinence"),
        choices=[("-date", _("Date, la plus récente d'abord")), ("date", _("Date, la plus ancienne d'abord"))],
    )

    facet_fields = {
        "year": ("year_value", None),
        "kind": ("event__kind", None),
        "session_kind": ("session__kind", None),
        "pole": ("session__poles__slug", "session__poles__name"),
        "person": ("session__appearances__person__slug", "session__appearances__person__name"),
        "organisation": ("session__organisations__slug", "session__organisations__name"),
    }

    class Meta:
        model = SearchEntry
        fields = ["q", "after", "before", "year", "kind", "session_kind", "pole", "person", "organisation", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = parse_query((self.data or {}).get("q", "") or "")
        self.queryset = self.base()

    def filter_text(self, queryset, name, value):
        return queryset  # the match is part of the base queryset, see base()

    def base(self):
        if not self.parsed.is_searchable:
            return SearchEntry.objects.none()
        return SearchEntry.objects.visible().matching(self.parsed)

    def queryset_without(self, excluded):
        queryset = self.base()
        for name, filter_ in self.filters.items():
            if name not in {excluded, "sort", "q"}:
                queryset = filter_.filter(queryset, self.valid_values.get(name))
        return queryset.annotate(year_value=ExtractYear("event__date"))

    def sort_by(self, queryset, name, value):
        return queryset  # applied by the view, after the rank is known

    @property
    def ordering(self) -> list[str]:
        value = self.valid_values.get("sort")
        if not self.parsed.is_searchable:
            return ["pk"]
        if value == "-date":
            return ["-event__date", "event_id", "session__order"]
        if value == "date":
            return ["event__date", "event_id", "session__order"]
        return ["-rank", "-event__date", "session__order"]
