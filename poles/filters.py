from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from poles.models import Organisation, Pole, Region, Theme
from policy.models import Phase


class PoleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_text")
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), queryset=Region.objects.all(), to_field_name="slug", field_name="regions", empty_label=_("Toutes")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thématique"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes", empty_label=_("Toutes")
    )
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"), queryset=Phase.objects.published(), to_field_name="number", field_name="phases", empty_label=_("Toutes")
    )
    status = django_filters.ChoiceFilter(label=_("Devenir"), field_name="fate", choices=Pole.Fate.choices, empty_label=_("Tous"))

    class Meta:
        model = Pole
        fields = ["q", "region", "theme", "phase", "status"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(former_names__name__icontains=value)
            | Q(hq_city__icontains=value)
        ).distinct()


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), field_name="name", lookup_expr="icontains")
    pole = django_filters.ModelChoiceFilter(
        label=_("Pôle"), queryset=Pole.objects.published(), to_field_name="slug", field_name="memberships__pole",
        empty_label=_("Tous"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), queryset=Region.objects.all(), to_field_name="slug", empty_label=_("Toutes")
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Organisation.Kind.choices, empty_label=_("Tous"))
    size = django_filters.ChoiceFilter(
        label=_("Taille"), field_name="size_class", choices=Organisation.SizeClass.choices, empty_label=_("Toutes")
    )

    class Meta:
        model = Organisation
        fields = ["q", "pole", "region", "kind", "size"]
