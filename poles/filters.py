from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from poles.facets import FacetedFilterSet
from poles.models import Organisation, Pole, Region, Theme
from policy.models import Phase


class PoleFilter(FacetedFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), queryset=Region.objects.all(), to_field_name="slug", field_name="regions", empty_label=_("Toutes")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thématique"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes", empty_label=_("Toutes")
    )
    # Callables: what is published is decided at each request, not once when the module is imported.
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"), queryset=lambda request: Phase.objects.published(), to_field_name="number", field_name="phases",
        empty_label=_("Toutes"),
    )
    status = django_filters.ChoiceFilter(label=_("Devenir"), field_name="fate", choices=Pole.Fate.choices, empty_label=_("Tous"))
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="sort_by",
        empty_label=_("Nom"),
        choices=[
            ("-founded", _("Création, la plus récente d'abord")),
            ("founded", _("Création, la plus ancienne d'abord")),
            ("-members", _("Nombre de membres")),
        ],
    )

    facet_fields = {
        "region": ("regions__slug", "regions__name"),
        "theme": ("themes__slug", "themes__name"),
        "phase": ("phases__number", "phases__name"),
        "status": ("fate", None),
    }
    # A pôle is in a region, a theme or a phase at most once (many-to-many tables and PoleLabel are unique).
    facets_without_repeats = {"region", "theme", "phase"}

    class Meta:
        model = Pole
        fields = ["q", "region", "theme", "phase", "status", "sort"]

    def sort_by(self, queryset, name, value):
        return {
            "-founded": queryset.order_by(F("founded_year").desc(nulls_last=True), "name"),
            "founded": queryset.order_by(F("founded_year").asc(nulls_last=True), "name"),
            "-members": queryset.order_by("-member_count", "name"),
        }.get(value, queryset)


class MemberFilter(FacetedFilterSet):
    pole = django_filters.ModelChoiceFilter(
        label=_("Pôle"), queryset=lambda request: Pole.objects.published(), to_field_name="slug", field_name="memberships__pole",
        empty_label=_("Tous"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), queryset=Region.objects.all(), to_field_name="slug", empty_label=_("Toutes")
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Organisation.Kind.choices, empty_label=_("Tous"))
    size = django_filters.ChoiceFilter(
        label=_("Taille"), field_name="size_class", choices=Organisation.SizeClass.choices, empty_label=_("Toutes")
    )

    facet_fields = {
        "pole": ("memberships__pole__slug", "memberships__pole__name"),
        "region": ("region__slug", "region__name"),
        "kind": ("kind", None),
        "size": ("size_class", None),
    }
    facets_without_repeats = {"pole"}  # a member of a pôle once (unique_membership)

    class Meta:
        model = Organisation
        fields = ["q", "pole", "region", "kind", "size"]
