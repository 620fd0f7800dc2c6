"""A search of the archive taken away: CSV, JSON and an Atom feed of the same hits, with the same parameters."""

from __future__ import annotations

import datetime
import re
from itertools import islice

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.filters import ArchiveSearchFilter
from events.views import snippet_for
from poles.listing import csv_response, invalid_parameters

JSON_LIMIT = 1000
# What XML 1.0 cannot carry (control characters but tab and line breaks, and two non-characters).
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_LIMIT = 50


def _hits(request: HttpRequest, ordering: list[str] | None = None):
    filterset = ArchiveSearchFilter(request.GET, request=request)
    if not filterset.is_valid():
        return filterset, invalid_parameters(filterset)
    hits = filterset.qs.select_related("event", "session").order_by(*(ordering or filterset.ordering))
    return filterset, hits


def _permalink(request: HttpRequest, hit) -> str:
    url = request.build_absolute_uri(hit.event.get_absolute_url())
    return f"{url}#{hit.session.anchor}" if hit.session_id else url


def _record(request: HttpRequest, hit, lexemes) -> dict:
    return {
        "date": hit.event.date.isoformat(),
        "date_precision": hit.event.date_precision,
        "event": hit.event.title,
        "event_kind": hit.event.get_kind_display(),
        "session": hit.session.title if hit.session_id else "",
        "session_kind": hit.session.get_kind_display() if hit.session_id else "",
        "excerpt": strip_tags(snippet_for(hit, lexemes)),
        "url": _permalink(request, hit),
    }


@require_safe
def search_csv(request: HttpRequest) -> HttpResponse:
    filterset, hits = _hits(request)
    if isinstance(hits, HttpResponse):
        return hits
    lexemes = filterset.parsed.lexemes
    header = ["date", "date_precision", "event", "event_kind", "session", "session_kind", "excerpt", "url"]
    rows = ([_record(request, hit, lexemes)[key] for key in header] for hit in hits.iterator(chunk_size=500))
    return csv_response("recherche-archive.csv", header, rows)


@require_safe
def search_json(request: HttpRequest) -> HttpResponse:
    filterset, hits = _hits(request)
    if isinstance(hits, HttpResponse):
        return hits
    lexemes = filterset.parsed.lexemes
    count = hits.count()
    params = request.GET.copy()
    return JsonResponse(
        {
            "query": request.GET.get("q", ""),
            "count": count,
            "truncated": count > JSON_LIMIT,
            "permalink": request.build_absolute_uri(f"{reverse('events:event-list')}?{params.urlencode()}"),
            "results": [_record(request, hit, lexemes) for hit in islice(hits, JSON_LIMIT)],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


@require_safe
def search_atom(request: HttpRequest) -> HttpResponse:
    """Newest hits first, so a feed reader shows what a followed query brings that is new."""
    filterset, hits = _hits(request, ordering=["-date", "event_id", "session_order"])
    if isinstance(hits, HttpResponse):
        return hits
    lexemes = filterset.parsed.lexemes
    query = NOT_IN_XML.sub("", request.GET.get("q", ""))[:200]
    page_url = request.build_absolute_uri(f"{reverse('events:event-list')}?{request.GET.urlencode()}")
    feed = Atom1Feed(
        title=_("Archive des pôles de compétitivité : « %(query)s »") % {"query": query},
        link=page_url,
        description=_("Les séquences et événements de l'archive qui répondent à cette recherche."),
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for hit in islice(hits, FEED_LIMIT):
        record = _record(request, hit, lexemes)
        title = f"{record['session']} — {record['event']}" if record["session"] else record["event"]
        when = datetime.datetime.combine(hit.event.date, datetime.time(), tzinfo=datetime.UTC)
        feed.add_item(
            title=title,
            link=record["url"],
            description=record["excerpt"],
            unique_id=record["url"],
            pubdate=when,
            updateddate=hit.event.updated_at,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
