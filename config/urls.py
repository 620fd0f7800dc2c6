from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config import views
from config.sitemaps import SITEMAPS
from opendata import urls as opendata_urls

# Site-wide pages, outside any app: legal texts and the site map.
site_patterns = [
    path("mentions-legales/", views.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", views.personal_data, name="personal-data"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plan-du-site/", views.site_map, name="site-map"),
]

# What machines read, at one address whatever the language: crawlers (the sitemap lists both languages) and load
# balancers.
machine_patterns = [
    path("sitemap.xml", views.sitemap_xml, {"sitemaps": SITEMAPS}, name="sitemap-xml"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sante/", views.health, name="health"),
]

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),  # in French only
    path("", include((machine_patterns, "site"))),
    path("", include((opendata_urls.data_patterns, "data"))),  # the datasets' files and the JSON API
    # Every public page in French at its address, and in English at the same address under /en/.
    *i18n_patterns(
        path("", include("poles.urls")),
        path("", include("events.urls")),
        path("politique/", include("policy.urls")),
        path("", include((site_patterns, "pages"))),
        path("", include((opendata_urls.page_patterns, "opendata"))),
        prefix_default_language=False,
    ),
]
