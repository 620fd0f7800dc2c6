from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from events.filters import ArchiveSearchFilter, EventFilter
from events.models import Appearance, Event, Person, Session
from events.search import WORD, highlight, lexeme
from poles import versioning
from poles.content import published_filter
from poles.listing import FacetedListView, export_filtered
from poles.preview import can_preview, public_or_preview, render_content


class EventListView(FacetedListView):
    filterset_class = EventFilter
    template_name = "events/event_list.html"
    paginate_by = 20
    export_url_name = "events:event-export"
    title = _lazy("Événements")

    def get_queryset(self):
        return Event.objects.for_archive().with_session_count()

    def get(self, request, *args, **kwargs):
        # With words to look for, the archive list becomes the archive search.
        if request.GET.get("q", "").strip():
            return archive_search(request)
        return super().get(request, *args, **kwargs)


SEARCH_PAGE_SIZE = 20


def archive_search(request: HttpRequest) -> HttpResponse:
    filterset = ArchiveSearchFilter(request.GET, request=request)
    # The page of hits is ranked and cut on the index table alone, then its events and sessions are fetched by id:
    # joined before the cut, PostgreSQL hashed every event for a five-hit search (17 ms at 10 000 events).
    hits = filterset.qs.prefetch_related("event", "session").defer("vector").order_by(*filterset.ordering)
    paginator = Paginator(hits, SEARCH_PAGE_SIZE)
    results = cached_results(request, filterset, paginator)
    paginator.count = results["total"]  # known from the facet statement: no COUNT query
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(_("Cette page de résultats n'existe pas.")) from error
    if page.number in results["pages"]:
        page.object_list = results["pages"][page.number]
    else:
        page.object_list = results["pages"][page.number] = _with_snippets(page.object_list, filterset)
        cache.set(results["key"], results, SEARCH_CACHE_SECONDS)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": filterset,
        "query": filterset.parsed,
        "page_obj": page,
        "paginator": paginator,
        "facets": results["facets"],
        "export_query": params.urlencode(),
        "breadcrumbs": [(_("Événements"), reverse("events:event-list")), (_("Recherche"), None)],
        "has_filters": True,
    }
    return render(request, "events/search_results.html", context)


SEARCH_CACHE_SECONDS = 24 * 3600


def cached_results(request: HttpRequest, filterset, paginator) -> dict:
    """The count, the facets and the pages already seen of this search, for the content as it is now.

    Kept in the cache under the content version (poles.versioning): any change to the content gives a new key, so
    a cached result is never stale; frequent searches — the broad ones, that cost most — are computed once. The
    facets hold their labels in the page's language, hence the language in the key.
    """
    params = sorted((key, value) for key, values in request.GET.lists() if key != "page" for value in values)
    digest = hashlib.sha256(repr(params).encode()).hexdigest()
    key = f"archive-search:{versioning.current()}:{get_language()}:{digest}"
    results = cache.get(key)
    if results is None:
        facets = filterset.facets()
        results = {"key": key, "total": filterset.total, "facets": facets, "pages": {}}
        cache.set(key, results, SEARCH_CACHE_SECONDS)
    return results


def _with_snippets(hits, filterset) -> list:
    hits = list(hits)
    for hit in hits:
        hit.snippet = snippet_for(hit, filterset.parsed.lexemes)
    return hits


def snippet_for(hit, lexemes):
    """The first of the hit's texts that holds a matched word, highlighted; else its summary."""
    for text in (hit.body, hit.names, hit.title, hit.context):
        if text and any(lexeme(word) in lexemes for word in WORD.findall(text)):
            return highlight(text, lexemes)
    return highlight(hit.body or hit.title, lexemes)


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
    queryset = Event.objects.for_archive().with_session_count()
    return export_filtered(request, EventFilter, queryset, "evenements.csv", header, row)


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Staff who may view sessions in the admin also preview the sessions not yet public, in their place.
    with_unpublished_sessions = request.user.is_authenticated and can_preview(request, Session)
    event = public_or_preview(request, Event.objects.for_detail(with_unpublished_sessions), slug=slug)
    series = Event.objects.published().filter(series=event.series).exclude(series=Event.Series.OTHER)
    context = {
        "event": event,
        "previous_event": series.filter(date__lt=event.date).order_by("-date").first(),
        "next_event": series.filter(date__gt=event.date).order_by("date").first(),
        "breadcrumbs": [(_("Événements"), reverse("events:event-list")), (event.title, None)],
    }
    return render_content(request, "events/event_detail.html", context, event, *event.sessions.all())


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = public_or_preview(request, Person.objects.prefetch_related("sources"), slug=slug)
    appearances = (
        Appearance.objects.filter(published_filter("session__"), published_filter("session__event__"), person=person)
        .select_related("session__event", "organisation")
        .order_by("-session__event__date", "session__order")
    )
    context = {
        "person": person,
        "appearances": appearances,
        "breadcrumbs": [(_("Événements"), reverse("events:event-list")), (person.name, None)],
    }
    return render_content(request, "events/person_detail.html", context, person)
