"""Keep the archive search index in step with the content.

`reindex_events(ids)` rebuilds the entries of those events from scratch, in bulk, with their pôle links (EventPole); the signals in events.signals call
it after every edit that changes what an event's entries say (an event, a session, a speaker, a person's name, a
pôle's names, an organisation). Fixture loads and seed_demo rebuild in one go at the end.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Prefetch

from events.models import FTS_TABLE, Appearance, Event, EventPole, SearchEntry, Session
from events.search import CONFIG, analyze, words_for_postgres
from poles import versioning
from poles.models import Organisation, Pole

BATCH = 500


def _pole_names(pole: Pole) -> str:
    return " ".join([pole.name, pole.short_name, *(name.name for name in pole.former_names.all())])


def _entries_for(event: Event) -> list[SearchEntry]:
    context = " ".join(filter(None, [event.title, event.theme]))
    shared = {"event": event, "is_synthetic": event.is_synthetic, "date": event.date, "event_kind": event.kind}
    entries = [
        SearchEntry(
            **shared,
            title=event.title,
            names=" ".join(filter(None, [event.venue, event.city, event.get_kind_display()])),
            body=" ".join(filter(None, [event.theme, event.summary])),
            visible_from=event.visible_from,
        )
    ]
    for session in event.sessions.all():
        # Only what the public may see now: a hidden person, pôle or organisation must not make a session findable
        # (nor appear in its snippet). Publishing one reindexes its sessions (signals below, and at the scheduled
        # moment through versioning.schedule_passed).
        people = []
        for appearance in session.appearances.all():
            if appearance.person.is_public:
                people += [appearance.person.name, appearance.position]
            if appearance.organisation and appearance.organisation.is_public:
                people += [appearance.organisation.name, appearance.organisation.short_name]
        poles = [_pole_names(pole) for pole in session.poles.all() if pole.is_public]
        organisations = [f"{o.name} {o.short_name}" for o in session.organisations.all() if o.is_public]
        entries.append(
            SearchEntry(
                **shared,
                session=session,
                session_kind=session.kind,
                session_order=session.order,
                title=session.title,
                names=" ".join(filter(None, [*people, *poles, *organisations])),
                body=session.summary,
                context=context,
                visible_from=_later(event.visible_from, session.visible_from),
                pole_ids=sorted({pole.pk for pole in session.poles.all()}),
                person_ids=sorted({appearance.person_id for appearance in session.appearances.all()}),
                organisation_ids=sorted({organisation.pk for organisation in session.organisations.all()}),
            )
        )
    return entries


def _pole_links_for(event: Event) -> list[EventPole]:
    """Each pôle the event's sessions name, visible from the first moment one of those sessions is."""
    first_visible = {}
    for session in event.sessions.all():
        visible_from = _later(event.visible_from, session.visible_from)
        if visible_from is None:
            continue
        for pole in session.poles.all():
            known = first_visible.get(pole.pk)
            first_visible[pole.pk] = visible_from if known is None else min(known, visible_from)
    return [EventPole(event=event, pole_id=pk, visible_from=moment) for pk, moment in first_visible.items()]


def _later(*moments):
    """The moment all of these are visible: None if any never is."""
    return None if None in moments else max(moments)


def _events_with_everything(ids: Iterable[int]):
    poles = Pole.objects.prefetch_related("former_names")
    sessions = Session.objects.order_by("order").prefetch_related(
        Prefetch("appearances", queryset=Appearance.objects.select_related("person", "organisation")),
        Prefetch("poles", queryset=poles),
        Prefetch("organisations", queryset=Organisation.objects.all()),
    )
    return Event.objects.filter(pk__in=list(ids)).prefetch_related(Prefetch("sessions", queryset=sessions))


@transaction.atomic
def reindex_events(ids: Iterable[int]) -> int:
    """Rebuild the entries of these events; returns how many entries they now have."""
    ids = list(ids)
    total = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        delete_entries(SearchEntry.objects.filter(event_id__in=chunk))
        EventPole.objects.filter(event_id__in=chunk).delete()
        events = list(_events_with_everything(chunk))
        entries = [entry for event in events for entry in _entries_for(event)]
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        EventPole.objects.bulk_create([link for event in events for link in _pole_links_for(event)], batch_size=1000)
        created = list(SearchEntry.objects.filter(event_id__in=chunk))
        _write_index(created)
        total += len(created)
    # Results cached while the old entries were current must not be served any more (bulk writes send no signals).
    transaction.on_commit(versioning.bump)
    return total


def rebuild_all() -> int:
    delete_entries(SearchEntry.objects.all())
    EventPole.objects.all().delete()
    return reindex_events(Event.objects.values_list("pk", flat=True))


def delete_entries(entries) -> None:
    if connection.vendor == "sqlite":
        ids = list(entries.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(chunk))})", chunk
                )
    entries.delete()


def _write_index(entries: list[SearchEntry]) -> None:
    if not entries:
        return
    if connection.vendor == "postgresql":
        # PostgreSQL analyses the words split by events.search (see there why), each field with its weight.
        rows = [
            (entry.pk, *(words_for_postgres(text) for text in (entry.title, entry.names, entry.body, entry.context)))
            for entry in entries
        ]
        vector = " || ".join(
            f"setweight(to_tsvector('{CONFIG}', v.{field}), '{weight}')"
            for field, weight in (("title", "A"), ("names", "B"), ("body", "C"), ("context", "D"))
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                values = ", ".join(["(%s::bigint, %s::text, %s::text, %s::text, %s::text)"] * len(chunk))
                cursor.execute(
                    f"UPDATE {SearchEntry._meta.db_table} AS e SET vector = {vector} "
                    f"FROM (VALUES {values}) AS v(id, title, names, body, context) WHERE e.id = v.id",
                    [value for row in chunk for value in row],
                )
        return
    rows = [
        (entry.pk, analyze(entry.title), analyze(entry.names), analyze(entry.body), analyze(entry.context))
        for entry in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, names, body, context) VALUES (%s, %s, %s, %s, %s)", rows
        )
