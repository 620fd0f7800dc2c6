from __future__ import annotations

from django.contrib import admin

from events.models import Appearance, Event, Person, Session
from poles.admin import SyntheticFilter
from poles.admin_audit import LoggedActionsMixin
from poles.admin_base import ContentAdmin, ContentInline, PublicationInlineFormSet, VersionedAdmin


class SessionInline(ContentInline):
    model = Session
    extra = 0
    fields = ["order", "anchor", "kind", "title", "summary", "summary_en", "poles", "organisations", "status"]
    autocomplete_fields = ["poles", "organisations"]
    show_change_link = True


class AppearanceInline(admin.TabularInline):
    model = Appearance
    formset = PublicationInlineFormSet  # a session is published with at least one speaker
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    readonly_fields = ["is_synthetic"]


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["date", "title", "kind", "edition", "city", "session_count", "status", "is_synthetic"]
    list_filter = ["status", "kind", "series", SyntheticFilter]
    search_fields = ["title", "theme", "venue", "city"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sources"]
    inlines = [SessionInline]

    def get_queryset(self, request):
        # Every session, public or not, counted for the rows shown only: 1 ms instead of 25 at 5 000 events.
        return super().get_queryset(request).with_session_count(Session.objects.all())

    @admin.display(description="séquences", ordering="session_count")
    def session_count(self, obj: Event) -> int:
        return obj.session_count


@admin.register(Session)
class SessionAdmin(ContentAdmin):
    list_display = ["title", "event", "order", "kind", "status"]
    list_filter = ["status", "kind", SyntheticFilter]
    search_fields = ["title", "summary", "event__title"]
    list_select_related = ["event"]
    autocomplete_fields = ["event", "poles", "organisations"]
    inlines = [AppearanceInline]


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name", "sort_name", "status", "is_synthetic"]
    list_filter = ["status", SyntheticFilter]
    search_fields = ["name", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Appearance)
class AppearanceAdmin(LoggedActionsMixin, VersionedAdmin):
    list_display = ["person", "session", "role", "position", "organisation"]
    list_filter = ["role", SyntheticFilter]
    search_fields = ["person__name", "position", "session__title", "session__event__title"]
    list_select_related = ["person", "session__event", "organisation"]
    autocomplete_fields = ["person", "session", "organisation"]
    show_full_result_count = False
    # Latest first, read from the primary key: the model's order (event date, session, role) sorts every
    # appearance before showing a page (84 ms at 30 000 appearances on SQLite, ten times that at full scale).
    ordering = ["-pk"]
