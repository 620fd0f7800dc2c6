from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from poles.admin_audit import LoggedActionsMixin
from poles.admin_base import ContentAdmin, VersionedAdmin
from poles.merge import merge_into_another_pole
from poles.models import Membership, Organisation, Pole, PoleFigure, PoleLabel, PoleName, Region, Source, Theme


class SyntheticFilter(admin.SimpleListFilter):
    title = _("origine des données")
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [("real", _("Réelles")), ("synthetic", _("Synthétiques (seed_demo)"))]

    def queryset(self, request, queryset):
        if self.value() == "real":
            return queryset.filter(is_synthetic=False)
        if self.value() == "synthetic":
            return queryset.filter(is_synthetic=True)
        return queryset


@admin.register(Source)
class SourceAdmin(LoggedActionsMixin, admin.ModelAdmin):
    list_display = ["reference", "title", "publisher"]
    search_fields = ["reference", "title", "publisher"]


@admin.register(Region)
class RegionAdmin(LoggedActionsMixin, admin.ModelAdmin):
    list_display = ["name", "insee_code", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "insee_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Theme)
class ThemeAdmin(LoggedActionsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "pole_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pole_count=Count("poles"))

    @admin.display(description=_("pôles"), ordering="pole_count")
    def pole_count(self, obj: Theme) -> int:
        return obj.pole_count


class PoleNameInline(admin.TabularInline):
    model = PoleName
    extra = 0


class PoleLabelInline(admin.TabularInline):
    model = PoleLabel
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["pole", "organisation", "source"]
    readonly_fields = ["is_synthetic"]


class PoleFigureInline(admin.TabularInline):
    model = PoleFigure
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Pole)
class PoleAdmin(ContentAdmin):
    list_display = ["name", "short_name", "fate", "category_2007", "founded_year", "status", "is_synthetic"]
    list_filter = ["status", "fate", "category_2007", "regions", "themes", "phases", SyntheticFilter]
    search_fields = ["name", "short_name", "slug", "former_names__name", "hq_city"]
    list_select_related = ["successor"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["regions", "themes", "successor", "sources"]
    inlines = [PoleNameInline, PoleLabelInline, MembershipInline, PoleFigureInline]
    actions = [*ContentAdmin.actions, merge_into_another_pole]  # the shared base's actions, plus the merger
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "summary", "summary_en"]}),
        (_("Où et quoi"), {"fields": ["hq_city", "regions", "themes", "specialities", "website"]}),
        (_("Histoire"), {"fields": ["founded_year", "category_2007", "category_2007_inferred", "fate", "fate_year", "fate_note", "successor"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "is_synthetic", "created_at", "updated_at"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(ContentAdmin):
    list_display = ["name", "kind", "size_class", "city", "region", "siren", "status", "is_synthetic"]
    list_filter = ["status", "kind", "size_class", "region", SyntheticFilter]
    search_fields = ["name", "short_name", "siren", "city"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region", "sources"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(LoggedActionsMixin, VersionedAdmin):
    list_display = ["organisation", "pole", "role", "since_year", "until_year", "is_synthetic"]
    list_filter = ["role", "pole", SyntheticFilter]
    search_fields = ["organisation__name", "pole__name"]
    list_select_related = ["organisation", "pole"]
    autocomplete_fields = ["organisation", "pole", "source"]
    show_full_result_count = False
    # Latest first, read from the primary key: the model's order (pôle name, organisation name) sorts every
    # membership before showing 100 of them (0.8 s at 100 000 members on SQLite). Columns still sort on a click.
    ordering = ["-pk"]

    def get_urls(self):
        from poles.admin_import import member_import_urls

        return member_import_urls(self) + super().get_urls()


@admin.register(PoleFigure)
class PoleFigureAdmin(LoggedActionsMixin, VersionedAdmin):
    list_display = ["pole", "indicator", "year", "value", "unit"]
    list_filter = ["indicator", "year"]
    search_fields = ["pole__name"]
    list_select_related = ["pole"]
    autocomplete_fields = ["pole", "source"]
    show_full_result_count = False
