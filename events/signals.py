"""Every edit that changes what the archive search should find reindexes the events concerned, at commit time."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from events.indexing import reindex_events
from events.models import Appearance, Event, Person, Session
from poles import versioning
from poles.models import Organisation, Pole, PoleName


def _reindex_later(event_ids) -> None:
    ids = {event_id for event_id in event_ids if event_id}
    if ids:
        transaction.on_commit(lambda: reindex_events(ids))


@receiver(post_save, sender=Event)
def event_saved(sender, instance: Event, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later([instance.pk])


@receiver([post_save, post_delete], sender=Session)
def session_changed(sender, instance: Session, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later([instance.event_id])


@receiver([post_save, post_delete], sender=Appearance)
def appearance_changed(sender, instance: Appearance, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later(Session.objects.filter(pk=instance.session_id).values_list("event_id", flat=True))


@receiver(m2m_changed, sender=Session.poles.through)
@receiver(m2m_changed, sender=Session.organisations.through)
def session_links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Session):
        _reindex_later([instance.event_id])
    elif pk_set:
        _reindex_later(Session.objects.filter(pk__in=pk_set).values_list("event_id", flat=True))


@receiver(post_save, sender=Person)
def person_saved(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later(Session.objects.filter(appearances__person=instance).values_list("event_id", flat=True))


@receiver(post_save, sender=Pole)
def pole_saved(sender, instance: Pole, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later(Session.objects.filter(poles=instance).values_list("event_id", flat=True))


@receiver([post_save, post_delete], sender=PoleName)
def pole_name_changed(sender, instance: PoleName, raw: bool = False, **kwargs) -> None:
    if not raw:
        _reindex_later(Session.objects.filter(poles__pk=instance.pole_id).values_list("event_id", flat=True))


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance: Organisation, raw: bool = False, **kwargs) -> None:
    if not raw:
        sessions = Session.objects.filter(organisations=instance) | Session.objects.filter(appearances__organisation=instance)
        _reindex_later(sessions.values_list("event_id", flat=True))


RECEIVERS = [
    (post_save, event_saved, Event),
    (post_save, session_changed, Session),
    (post_delete, session_changed, Session),
    (post_save, appearance_changed, Appearance),
    (post_delete, appearance_changed, Appearance),
    (m2m_changed, session_links_changed, Session.poles.through),
    (m2m_changed, session_links_changed, Session.organisations.through),
    (post_save, person_saved, Person),
    (post_save, pole_saved, Pole),
    (post_save, pole_name_changed, PoleName),
    (post_delete, pole_name_changed, PoleName),
    (post_save, organisation_saved, Organisation),
]


class indexing_suspended:  # noqa: N801 - used as a context manager
    """For bulk work that reindexes by itself at the end (fixture loads, seed_demo --clear).

    Disconnecting, rather than checking a flag, also lets Django delete rows in bulk: it only does so for models
    without delete signal receivers.
    """

    def __enter__(self):
        for signal, receiver_, sender in RECEIVERS:
            signal.disconnect(receiver_, sender=sender)
        versioning.disconnect_signals()  # its receivers listen to every model: they too would block bulk deletes

    def __exit__(self, *exc):
        for signal, receiver_, sender in RECEIVERS:
            signal.connect(receiver_, sender=sender)
        versioning.connect_signals()
        versioning.bump()


@receiver(versioning.schedule_passed)
def scheduled_items_went_public(sender, since, **kwargs) -> None:
    """People, pôles and organisations whose publication time has come: their sessions are findable by them now."""
    from django.db.models import Q
    from django.utils import timezone

    came = Q(publish_at__gte=since, publish_at__lte=timezone.now())
    sessions = Session.objects.filter(
        Q(appearances__person__in=Person.objects.filter(came))
        | Q(appearances__organisation__in=Organisation.objects.filter(came))
        | Q(poles__in=Pole.objects.filter(came))
        | Q(organisations__in=Organisation.objects.filter(came))
    )
    event_ids = set(sessions.values_list("event_id", flat=True))
    if event_ids:
        reindex_events(event_ids)
