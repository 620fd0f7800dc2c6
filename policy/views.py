from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _

from policy.models import Decision, KeyFigure, Phase, Report


@require_safe
def phase_list(request: HttpRequest) -> HttpResponse:
    context = {
        "phases": Phase.objects.published().prefetch_related("orientations"),
        "decisions": Decision.objects.published().filter(phase__isnull=True).order_by("date"),
        "key_figures": KeyFigure.objects.published().prefetch_related("sources").order_by("year", "indicator"),
        "breadcrumbs": [(_("Politique"), None)],
    }
    return render(request, "policy/phase_list.html", context)


@require_safe
def phase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    phase = get_object_or_404(
        Phase.objects.published().prefetch_related(
            "orientations",
            "sources",
            Prefetch("decisions", queryset=Decision.objects.published().prefetch_related("sources").order_by("date")),
            Prefetch("reports", queryset=Report.objects.published().order_by("published_on")),
        ),
        slug=slug,
    )
    phases = Phase.objects.published()
    context = {
        "phase": phase,
        "labelled_poles": phase.poles.published().order_by("name"),
        "previous_phase": phases.filter(number__lt=phase.number).order_by("-number").first(),
        "next_phase": phases.filter(number__gt=phase.number).order_by("number").first(),
        "breadcrumbs": [(_("Politique"), "/politique/"), (phase.name, None)],
    }
    return render(request, "policy/phase_detail.html", context)


@require_safe
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.published().select_related("phase").prefetch_related("recommendations", "sources"), slug=slug
    )
    context = {
        "report": report,
        "breadcrumbs": [(_("Politique"), "/politique/"), (report.title, None)],
    }
    return render(request, "policy/report_detail.html", context)
