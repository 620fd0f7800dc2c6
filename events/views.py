from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from events.filters import EventFilter
from events.models import Appearance, Event, Person
from poles.listing import FacetedListView, export_filtered


class EventListView(FacetedListView):
    filterset_class = EventFilter
    template_name = "events/event_list.html"
    paginate_by = 20
    export_url_name = "events:event-export"
    title = _lazy("Événements")

    def get_queryset(self):
        return Event.objects.for_archive().annotate(
            session_count=Count("sessions", filter=Q(sessions__status="published"), distinct=True)
        )


@require_safe
def event_export(request: HttpRequest) -> HttpResponse:
    def row(event: Event) -> list:
        return [
            event.date.isoformat(),
            event.get_date_precision_display(),
            event.title,
            event.get_kind_display(),
            event.edition or "",
            event.venue,
            event.city,
            event.theme,
            event.session_count,
            request.build_absolute_uri(event.get_absolute_url()),
        ]

    header = [_("date"), _("précision de la date"), _("titre"), _("type"), _("édition"), _("lieu"), _("ville"), _("thème"),
              _("séquences"), _("adresse")]
    queryset = Event.objects.for_archive().annotate(
        session_count=Count("sessions", filter=Q(sessions__status="published"), distinct=True)
    )
    return export_filtered(request, EventFilter, queryset, "evenements.csv", header, row)


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    series = Event.objects.published().filter(series=event.series).exclude(series=Event.Series.OTHER)
    context = {
        "event": event,
        "previous_event": series.filter(date__lt=event.date).order_by("-date").first(),
        "next_event": series.filter(date__gt=event.date).order_by("date").first(),
        "breadcrumbs": [(_("Événements"), "/evenements/"), (event.title, None)],
    }
    return render(request, "events/event_detail.html", context)


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.published().prefetch_related("sources"), slug=slug)
    appearances = (
        Appearance.objects.filter(person=person, session__status="published", session__event__status="published")
        .select_related("session__event", "organisation")
        .order_by("-session__event__date", "session__order")
    )
    context = {
        "person": person,
        "appearances": appearances,
        "breadcrumbs": [(_("Événements"), "/evenements/"), (person.name, None)],
    }
    return render(request, "events/person_detail.html", context)
