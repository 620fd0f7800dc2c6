"""/sitemap.xml: every public page a search engine should know, with its last change for the content pages.

Synthetic rows (seed_demo's load-test data) are public while they exist, but never offered for indexing.

Every page is listed in each language (French at its address, English under /en/), each entry naming the other
languages' versions as hreflang alternates, French being the x-default.
"""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, Exists, Model, OuterRef, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse

from events.models import Event, Person
from permalinks.models import Redirect
from poles.models import Organisation, Pole
from policy.models import Phase, Report


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(LocalizedSitemap):
    """Home, the lists and the site-wide pages: no model behind them, so no lastmod."""

    names = [
        "poles:home",
        "poles:pole-list",
        "poles:cooperation",
        "poles:member-list",
        "events:event-list",
        "policy:phase-list",
        "policy:key-figures",
        "policy:phase-compare",
        "pages:legal-notice",
        "pages:personal-data",
        "pages:accessibility",
        "pages:site-map",
        "opendata:dataset-list",
        "opendata:api-doc",
    ]

    def items(self) -> list[str]:
        return self.names

    def location(self, item: str) -> str:
        return reverse(item)  # in the language of the entry (Sitemap activates it)


class ContentSitemap(LocalizedSitemap):
    """One public content type; its pages change when the row does."""

    queryset: QuerySet

    def items(self) -> QuerySet:
        # Only what get_absolute_url and lastmod read, in a stable order for the sitemap's pagination.
        return self.queryset.published().real().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item: Model) -> datetime.datetime:
        return item.updated_at


class PoleSitemap(ContentSitemap):
    queryset = Pole.objects.all()

    def items(self) -> QuerySet:
        # Not the pôles merged through the admin: their page redirects to their successor's (permalinks).
        prefix, _, suffix = reverse("poles:pole-detail", args=["slug"]).rpartition("slug")
        path = Concat(Value(prefix), OuterRef("slug"), Value(suffix), output_field=CharField())
        return super().items().exclude(Exists(Redirect.objects.filter(old_path=path)))


class OrganisationSitemap(ContentSitemap):
    queryset = Organisation.objects.all()


class EventSitemap(ContentSitemap):
    queryset = Event.objects.all()


class PersonSitemap(ContentSitemap):
    queryset = Person.objects.all()


class PhaseSitemap(ContentSitemap):
    queryset = Phase.objects.all()


class ReportSitemap(ContentSitemap):
    queryset = Report.objects.all()


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "poles": PoleSitemap,
    "organisations": OrganisationSitemap,
    "events": EventSitemap,
    "people": PersonSitemap,
    "phases": PhaseSitemap,
    "reports": ReportSitemap,
}
