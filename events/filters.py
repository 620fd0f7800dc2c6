from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import Event
from poles.models import Pole


class EventFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Année"), field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Event.Kind.choices, empty_label=_("Tous"))
    pole = django_filters.ModelChoiceFilter(
        label=_("Pôle"), queryset=Pole.objects.published(), to_field_name="slug", field_name="sessions__poles",
        empty_label=_("Tous"), distinct=True,
    )

    class Meta:
        model = Event
        fields = ["year", "kind", "pole"]
