"""Ready-to-paste citations of an event or of one of its sessions, for journalists and researchers.

A citation names who spoke (with the position they held *at that event*), what, where and when, and ends with the
absolute permalink. Dates are written only as precisely as the sources know them ("mars 2016", never "1 mars 2016").
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Appearance, Event, Session
from poles.content import DatePrecision


def date_text(value: datetime.date, precision: str = DatePrecision.DAY) -> str:
    """A date in words, as precisely as it is known: "24 janvier 2014", "1er mars 2016", "mars 2016", "2016"."""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if value.day == 1:
        # French writes the first of the month as an ordinal (English as a plain "1 March 2016").
        return _("1er %(month_year)s") % {"month_year": formats.date_format(value, "YEAR_MONTH_FORMAT")}
    return formats.date_format(value, "DATE_FORMAT")


def absolute_url(path: str, base: HttpRequest | str | None) -> str:
    """`path` made absolute from the current request, or from a base URL such as "https://example.org"."""
    if isinstance(base, HttpRequest):
        return base.build_absolute_uri(path)
    if base:
        return base.rstrip("/") + path
    return path


def _event_part(event: Event) -> str:
    place = [event.venue] if event.venue else []
    if event.city and event.city != event.venue:
        place.append(event.city)
    return ", ".join([event.title, *place, date_text(event.date, event.date_precision)])


def _person_part(appearance: Appearance) -> str:
    # The position held at the time; failing that, the organisation spoken for (if the public may see it).
    organisation = appearance.organisation
    role = appearance.position or (organisation.name if organisation is not None and organisation.is_public else "")
    return f"{appearance.person.name}, {role}" if role else appearance.person.name


def _quoted_title(title: str) -> str:
    """The title between quotation marks (French ones in French), without doubling those some titles carry."""
    title = title.strip()
    if title.startswith("«") and title.endswith("»"):
        title = title[1:-1].strip()
    return _("« %(title)s »") % {"title": title}


def _list(items: list[str]) -> str:
    return (pgettext("ponctuation", " ;") + " ").join(items)


def event_citation(event: Event, base: HttpRequest | str | None) -> str:
    """E.g. "13e journée nationale des pôles de compétitivité, Bercy, Paris, 24 janvier 2014. https://…/"."""
    return f"{_event_part(event)}. {absolute_url(event.get_absolute_url(), base)}"


def session_citation(session: Session, base: HttpRequest | str | None) -> str:
    """E.g. "Fleur Pellerin, ministre déléguée…, intervention « … », 13e journée nationale des pôles de compétitivité,
    Bercy, Paris, 24 janvier 2014. https://…/#anchor".

    Reads `session.appearances.all()` (with person and organisation) and `session.event`: prefetch them
    (`Event.objects.for_detail()` does) to cite many sessions without one query each.
    """
    appearances = list(session.appearances.all())
    speakers = [_person_part(a) for a in appearances if a.role == Appearance.Role.SPEAKER]
    moderators = [_person_part(a) for a in appearances if a.role == Appearance.Role.MODERATOR]
    what = f"{session.get_kind_display().lower()} {_quoted_title(session.title)}"
    if moderators:
        what += " (" + _("animation : %(people)s") % {"people": _list(moderators)} + ")"
    parts = [_list(speakers)] if speakers else []
    parts += [what, _event_part(session.event)]
    text = ", ".join(parts)
    text = text[:1].upper() + text[1:]
    return f"{text}. {absolute_url(session.get_absolute_url(), base)}"


def citation(item: Event | Session, base: HttpRequest | str | None) -> str:
    if isinstance(item, Session):
        return session_citation(item, base)
    if isinstance(item, Event):
        return event_citation(item, base)
    raise TypeError(f"No citation for {type(item).__name__}")
