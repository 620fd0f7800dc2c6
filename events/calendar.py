"""The events as iCalendar files (RFC 5545), written by hand: one event, or the same rows as the filtered list.

Every event is an all-day VEVENT. A date the sources only give to the month or the year is placed on its first day,
and the DESCRIPTION says so: a calendar cannot say "some day in March 2016".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.languages import localized_text
from events.citations import absolute_url, date_text
from events.filters import EventFilter
from events.models import Event
from poles.content import DatePrecision
from poles.listing import invalid_parameters

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//poles-de-competitivite//Archive des evenements//FR"
UID_DOMAIN = "poles-de-competitivite"
LINE_OCTETS = 75  # RFC 5545 §3.1, without the CRLF

# TEXT values may hold no control character but HTAB (RFC 5545 §3.3.11); newlines are escaped before this runs.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# What fold() keeps together: an escape sequence, or one character.
_TOKEN = re.compile(r"\\.|.", re.DOTALL)


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> str:
    """A content line cut into pieces of at most 75 octets, each continuation starting with a space (RFC 5545 §3.1).

    Cuts fall between characters, never inside a multi-octet UTF-8 sequence, nor inside a backslash escape (the RFC
    allows it, but it trips parsers that unescape before they unfold).
    """
    if len(line.encode()) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for token in _TOKEN.findall(line):
        width = len(token.encode())
        if size + width > limit:
            pieces.append("".join(current))
            # The leading space of a continuation line is one of its 75 octets.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(token)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _description(event: Event, url: str) -> str:
    summary = localized_text(event, "summary").text.strip()
    paragraphs = [summary] if summary else []
    known = {"date": date_text(event.date, event.date_precision)}
    if event.date_precision == DatePrecision.MONTH:
        note = _("Date connue au mois près (%(date)s) : l'événement est placé au premier jour du mois.")
        paragraphs.append(note % known)
    elif event.date_precision == DatePrecision.YEAR:
        note = _("Date connue à l'année près (%(date)s) : l'événement est placé au 1er janvier.")
        paragraphs.append(note % known)
    if event.date_note:
        paragraphs.append(event.date_note.strip())
    paragraphs.append(url)
    return "\n\n".join(paragraphs)


def vevent_lines(event: Event, base: HttpRequest | str | None) -> list[str]:
    """The content lines of one VEVENT, unfolded."""
    url = absolute_url(event.get_absolute_url(), base)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.slug}@{UID_DOMAIN}",
        f"DTSTAMP:{_utc_stamp(event.updated_at)}",
        f"LAST-MODIFIED:{_utc_stamp(event.updated_at)}",
        f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
        # DTEND is exclusive: the day after, for a one-day event.
        f"DTEND;VALUE=DATE:{event.date + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    place = ", ".join(part for part in (event.venue, event.city if event.city != event.venue else "") if part)
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    lines += [
        f"DESCRIPTION:{escape_text(_description(event, url))}",
        f"URL:{url}",
        "END:VEVENT",
    ]
    return lines


def calendar_chunks(events: Iterable[Event], base: HttpRequest | str | None, name: str) -> Iterator[str]:
    """The whole VCALENDAR, one chunk per event so that a long list streams."""
    header = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{escape_text(name)}",  # RFC 7986
        f"X-WR-CALNAME:{escape_text(name)}",  # the same, for clients that predate RFC 7986
    ]
    yield "".join(f"{fold(line)}\r\n" for line in header)
    for event in events:
        yield "".join(f"{fold(line)}\r\n" for line in vevent_lines(event, base))
    yield "END:VCALENDAR\r\n"


# --- views ---


@require_safe
def event_detail_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    response = HttpResponse("".join(calendar_chunks([event], request, event.title)), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_safe
def event_calendar(request: HttpRequest) -> HttpResponse:
    """The events of the list for the same criteria (all pages), as one calendar."""
    filterset = EventFilter(request.GET, queryset=Event.objects.for_archive(), request=request)
    if not filterset.is_valid():
        return invalid_parameters(filterset)
    events = filterset.qs.iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        calendar_chunks(events, request, _("Événements des pôles de compétitivité")), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="evenements.ics"'
    return response
