from django.urls import path

from poles import views

app_name = "poles"

urlpatterns = [
    path("", views.home, name="home"),
    # /poles/
    path("poles/", views.PoleListView.as_view(), name="pole-list"),
    path("poles/export.csv", views.pole_export, name="pole-export"),
    path("poles/cooperation/", views.pole_cooperation, name="cooperation"),  # before a pôle's slug would take it
    path("poles/<slug:slug>/", views.pole_detail, name="pole-detail"),
    # /membres/
    path("membres/", views.MemberListView.as_view(), name="member-list"),
    path("membres/export.csv", views.member_export, name="member-export"),
    path("membres/<slug:slug>/", views.member_detail, name="member-detail"),
]
