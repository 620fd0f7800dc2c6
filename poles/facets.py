"""Filter sets that also count, for every option of every filter, the results it would give with the others kept."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    any_label: str = ""


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose `facets()` gives each filter's options with their counts.

    `facet_fields` maps a filter name to the value path (and optionally the label path) to group on; filters whose
    choices are fixed (TextChoices) take their labels from the choices.
    """

    facet_fields: dict[str, tuple[str, str | None]] = {}
    q = django_filters.CharFilter(
        label=_("Rechercher"), method="filter_text", max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value)

    def extra_fields(self) -> list:
        """Form fields shown as plain inputs: neither the text query, nor a facet, nor the sort order."""
        return [self.form[name] for name in self.form.fields if name not in {"q", "sort", *self.facet_fields}]

    @property
    def valid_values(self) -> dict:
        """The filter values that validated (an unbound or partly invalid form gives fewer, never an error)."""
        self.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def queryset_without(self, excluded: str) -> QuerySet:
        # Counted on the plain published rows: the list's own annotations would only slow the GROUP BY down.
        queryset = self.queryset.model.objects.published()
        for name, filter_ in self.filters.items():
            if name != excluded and name != "sort":
                queryset = filter_.filter(queryset, self.valid_values.get(name))
        return queryset

    def facets(self) -> list[Facet]:
        facets = []
        for name, (value_path, label_path) in self.facet_fields.items():
            filter_ = self.filters[name]
            counted = self.queryset_without(name).order_by()
            paths = [value_path] + ([label_path] if label_path else [])
            rows = counted.values_list(*paths).annotate(count=Count("pk", distinct=True)).order_by(*paths)
            choices = dict(getattr(filter_, "extra", {}).get("choices", []) or [])
            selected = (self.data or {}).get(name, "")
            options = []
            for row in rows:
                value, count = row[0], row[-1]
                if value is None:
                    continue
                label = row[1] if label_path else choices.get(value, value)
                options.append(FacetOption(str(value), str(label), count, str(value) == selected))
            chosen = self.valid_values.get(name)
            if chosen not in (None, "") and not any(option.selected for option in options):
                options.insert(0, FacetOption(selected, str(choices.get(selected, chosen)), 0, True))
            facets.append(Facet(name, str(filter_.label), options, str(filter_.extra.get("empty_label") or _("Tous"))))
        return facets
