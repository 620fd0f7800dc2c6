from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from events.models import Event, Session
from poles.filters import MemberFilter, PoleFilter
from poles.models import Membership, Organisation, Pole
from policy.models import KeyFigure, Phase


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    poles = Pole.objects.published()
    context = {
        "active_pole_count": poles.filter(fate=Pole.Fate.ACTIVE).count(),
        "pole_count": poles.count(),
        "current_phase": Phase.objects.published().current().first(),
        "latest_events": Event.objects.for_archive()[:3],
        "key_figures": KeyFigure.objects.published().order_by("-year", "indicator")[:4],
    }
    return render(request, "poles/home.html", context)


class PoleListView(FilterView):
    filterset_class = PoleFilter
    template_name = "poles/pole_list.html"
    http_method_names = ["get", "head", "options"]
    paginate_by = 24

    def get_queryset(self):
        return Pole.objects.for_directory()

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[(_("Pôles"), None)], **kwargs)


@require_safe
def pole_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pole = get_object_or_404(Pole.objects.for_detail(), slug=slug)
    memberships = (
        Membership.objects.filter(pole=pole, organisation__status="published")
        .select_related("organisation")
        .order_by("organisation__name")
    )
    sessions = Session.objects.for_pole(pole)
    context = {
        "pole": pole,
        "memberships": memberships,
        "member_kinds": [
            (Organisation.Kind(row["organisation__kind"]).label, row["count"])
            for row in memberships.values("organisation__kind").annotate(count=Count("id")).order_by("-count")
        ],
        "sessions": sessions,
        "figures": pole.figures.select_related("source").order_by("indicator", "year"),
        "breadcrumbs": [(_("Pôles"), "/poles/"), (pole.name, None)],
    }
    return render(request, "poles/pole_detail.html", context)


class MemberListView(FilterView):
    filterset_class = MemberFilter
    template_name = "poles/member_list.html"
    http_method_names = ["get", "head", "options"]
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.for_directory()

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[(_("Membres"), None)], **kwargs)


@require_safe
def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.published().select_related("region").prefetch_related(
            "sources",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(pole__status="published").select_related("pole").order_by("pole__name"),
            ),
        ),
        slug=slug,
    )
    context = {
        "organisation": organisation,
        "sessions": Session.objects.for_organisation(organisation),
        "breadcrumbs": [(_("Membres"), "/membres/"), (organisation.name, None)],
    }
    return render(request, "poles/member_detail.html", context)
