from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views
from config.sitemaps import SITEMAPS

# Site-wide pages, outside any app: legal texts, the site map, and what crawlers read.
site_patterns = [
    path("mentions-legales/", views.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", views.personal_data, name="personal-data"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plan-du-site/", views.site_map, name="site-map"),
    path("sitemap.xml", views.sitemap_xml, {"sitemaps": SITEMAPS}, name="sitemap-xml"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sante/", views.health, name="health"),
]

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("poles.urls")),
    path("", include("events.urls")),
    path("politique/", include("policy.urls")),
    path("", include((site_patterns, "pages"))),
]
