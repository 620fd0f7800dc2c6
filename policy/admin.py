from __future__ import annotations

from django.contrib import admin

from poles.admin_base import ContentAdmin
from policy.models import Decision, KeyFigure, Orientation, Phase, Recommendation, Report


class OrientationInline(admin.TabularInline):
    model = Orientation
    extra = 0


@admin.register(Phase)
class PhaseAdmin(ContentAdmin):
    list_display = ["number", "name", "start_year", "end_year", "poles_labelled", "status"]
    list_filter = ["status"]
    search_fields = ["name", "nickname", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [OrientationInline]


@admin.register(Decision)
class DecisionAdmin(ContentAdmin):
    list_display = ["date", "title", "number", "instrument", "phase", "status"]
    list_filter = ["status", "phase"]
    search_fields = ["title", "instrument", "summary"]
    list_select_related = ["phase"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["phase", "sources"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


@admin.register(Report)
class ReportAdmin(ContentAdmin):
    list_display = ["published_on", "title", "kind", "author", "phase", "status"]
    list_filter = ["status", "kind", "phase"]
    search_fields = ["title", "author", "summary"]
    list_select_related = ["phase"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["phase", "sources"]
    inlines = [RecommendationInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(ContentAdmin):
    list_display = ["year", "indicator", "label", "value", "unit", "status"]
    list_filter = ["status", "indicator", "year"]
    search_fields = ["label", "note"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["sources"]
