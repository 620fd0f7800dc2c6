"""Site-wide pages: legal notices, personal data, accessibility statement, site map, robots.txt."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from policy.models import Phase, Report

# The day each text was last reviewed; change it with the text, not automatically.
LEGAL_NOTICE_DATE = datetime.date(2026, 11, 23)
PERSONAL_DATA_DATE = datetime.date(2026, 11, 23)
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 23)


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    context = {"updated_on": LEGAL_NOTICE_DATE, "breadcrumbs": [(_("Mentions légales"), None)]}
    return render(request, "pages/legal_notice.html", context)


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    context = {"updated_on": PERSONAL_DATA_DATE, "breadcrumbs": [(_("Données personnelles"), None)]}
    return render(request, "pages/personal_data.html", context)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    context = {
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "breadcrumbs": [(_("Déclaration d'accessibilité"), None)],
    }
    return render(request, "pages/accessibility.html", context)


@require_safe
def site_map(request: HttpRequest) -> HttpResponse:
    context = {
        "phases": Phase.objects.published().order_by("number"),
        "reports": Report.objects.published().order_by("published_on"),
        "breadcrumbs": [(_("Plan du site"), None)],
    }
    return render(request, "pages/site_map.html", context)


# django.contrib.sitemaps' view answers any method; the site only serves reads.
sitemap_xml = require_safe(sitemap_views.sitemap)


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmark's reference: the process answers. Touches neither database nor cache."""
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('site:sitemap-xml'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

