"""Load the real, sourced data of fixtures/ — validated, idempotent, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import transaction
from django.utils import timezone

from events.indexing import reindex_events
from events.models import Event
from events.signals import indexing_suspended
from poles import versioning
from poles.history import history_paused, record_loaded_versions
from poles.models import Organisation, Pole

# Order matters: each file only refers to what an earlier file (or itself) holds.
FIXTURE_FILES = [
    "sources.json",
    "regions.json",
    "themes.json",
    "policy.json",
    "poles.json",
    "organisations.json",
    "events.json",
]


class Command(BaseCommand):
    help = "Charge les données réelles de fixtures/ : chaque objet est validé ; une erreur annule tout le chargement."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Fichiers à charger (par défaut, tous ceux de fixtures/ dans l'ordre voulu)."
        )

    def handle(self, *args, files: list[str], **options):
        paths = [Path(f) for f in files] or [settings.BASE_DIR / "fixtures" / name for name in FIXTURE_FILES]
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        loaded: dict = {}
        with transaction.atomic(), indexing_suspended():
            # One version per object created or changed, written once everything (forward references included)
            # is in place, rather than one per save and many-to-many signal: see poles.history.
            with history_paused():
                for path in paths:
                    for outcome in load_file(path, loaded):
                        counts[outcome] += 1
            record_loaded_versions(loaded, reason="Chargement des données réelles (fixtures/)")
            # Raw fixture saves skip Model.save(), which keeps the stored search text up to date.
            Pole.objects.real().refresh_search_text()
            Organisation.objects.real().refresh_search_text()
            # The archive search index too: rebuilt for the real events (seed_demo indexes its own).
            reindex_events(Event.objects.real().values_list("pk", flat=True))
        versioning.bump()  # fixture saves are raw: no signal moved the content version
        self.stdout.write(
            f"{counts['created']} créés, {counts['updated']} mis à jour, {counts['unchanged']} inchangés."
        )


def load_file(path: Path, loaded: dict | None = None):
    """Save each object as soon as it is read: later objects find earlier ones of the same file by natural key.

    `loaded`, if given, collects what happened to each object: {model: {pk: outcome}}."""
    if not path.exists():
        raise CommandError(f"{path} : fichier introuvable.")
    deferred = []
    with path.open(encoding="utf-8") as stream:
        objects = serializers.deserialize("json", stream, handle_forward_references=True)
        while True:
            try:
                deserialized = next(objects)
            except StopIteration:
                break
            except DeserializationError as error:
                raise CommandError(f"{path.name} : {_first_line(error)}") from error
            outcome = save_validated(path, deserialized)
            if loaded is not None:
                loaded.setdefault(type(deserialized.object), {})[deserialized.object.pk] = outcome
            yield outcome
            if deserialized.deferred_fields:
                deferred.append(deserialized)
    for deserialized in deferred:
        try:
            deserialized.save_deferred_fields()
        except ObjectDoesNotExist as error:
            raise CommandError(f"{path.name} : {_describe(deserialized.object)} : {error}") from error


def save_validated(path: Path, deserialized) -> str:
    instance = deserialized.object
    model = type(instance)
    deferred_names = {field.name for field in deserialized.deferred_fields or {}}
    existing = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._state.adding = existing is None  # so uniqueness checks do not count the row against itself
    try:
        instance.full_clean(exclude=deferred_names)
    except ValidationError as error:
        details = "; ".join(f"{field} : {' '.join(messages)}" for field, messages in error.message_dict.items())
        raise CommandError(f"{path.name} : {_describe(instance)} est invalide — {details}") from error

    if existing is not None and _same_fields(existing, instance) and _same_m2m(existing, deserialized.m2m_data):
        return "unchanged"
    # Fixtures are saved raw, so timestamps are not filled in by the fields themselves.
    if hasattr(instance, "created_at"):
        now = timezone.now()
        instance.created_at = existing.created_at if existing is not None else now
        instance.updated_at = now
    if hasattr(instance, "deleted_at"):
        # Staff's trash is not the fixtures' business: a deleted row stays in the trash when its data changes.
        instance.deleted_at = existing.deleted_at if existing is not None else None
    deserialized.save()
    return "updated" if existing is not None else "created"


def _same_fields(existing, incoming) -> bool:
    for field in type(incoming)._meta.concrete_fields:
        if not field.editable and not field.primary_key:
            continue  # derived or bookkeeping (timestamps, search text): not part of what a fixture says
        if field.value_from_object(existing) != field.value_from_object(incoming):
            return False
    return True


def _same_m2m(existing, m2m_data: dict | None) -> bool:
    for name, values in (m2m_data or {}).items():
        current = set(getattr(existing, name).values_list("pk", flat=True))
        if current != {int(value) for value in values}:
            return False
    return True


def _describe(instance) -> str:
    key = instance.natural_key() if hasattr(instance, "natural_key") else (instance.pk,)
    return f"{instance._meta.label} {key!r}"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
