from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("poles.urls")),
    path("", include("events.urls")),
    path("politique/", include("policy.urls")),
]
