from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    # /evenements/
    path("evenements/", views.EventListView.as_view(), name="event-list"),
    path("evenements/export.csv", views.event_export, name="event-export"),
    path("evenements/<slug:slug>/", views.event_detail, name="event-detail"),
    # /intervenants/
    path("intervenants/<slug:slug>/", views.person_detail, name="person-detail"),
]
