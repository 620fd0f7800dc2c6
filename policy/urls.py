from django.urls import path

from policy import views

app_name = "policy"

urlpatterns = [
    path("", views.phase_list, name="phase-list"),
    path("chiffres-cles/", views.key_figures, name="key-figures"),
    path("comparer/", views.phase_compare, name="phase-compare"),
    path("rapports/<slug:slug>/", views.report_detail, name="report-detail"),
    # Last: a phase's slug would otherwise swallow the fixed paths above.
    path("<slug:slug>/", views.phase_detail, name="phase-detail"),
]
