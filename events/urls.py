from django.urls import path

from events import calendar, search_exports, views

app_name = "events"

urlpatterns = [
    # /evenements/
    path("evenements/", views.EventListView.as_view(), name="event-list"),
    path("evenements/export.csv", views.event_export, name="event-export"),
    path("evenements/recherche.csv", search_exports.search_csv, name="search-csv"),
    path("evenements/recherche.json", search_exports.search_json, name="search-json"),
    path("evenements/recherche.atom", search_exports.search_atom, name="search-atom"),
    # Before <slug>.ics, which would take "calendrier" for an event's slug.
    path("evenements/calendrier.ics", calendar.event_calendar, name="event-calendar"),
    path("evenements/<slug:slug>.ics", calendar.event_detail_calendar, name="event-detail-calendar"),
    path("evenements/<slug:slug>/", views.event_detail, name="event-detail"),
    # /intervenants/
    path("intervenants/<slug:slug>/", views.person_detail, name="person-detail"),
]
