from django.urls import path

from policy import views

app_name = "policy"

urlpatterns = [
    path("", views.phase_list, name="phase-list"),
    path("rapports/<slug:slug>/", views.report_detail, name="report-detail"),
    path("<slug:slug>/", views.phase_detail, name="phase-detail"),
]
