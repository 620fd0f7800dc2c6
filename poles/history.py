"""Who changed what and when, for every content type and the child rows edited with it (django-simple-history).

Why django-simple-history rather than django-reversion: one history table per model, queried like any table (what
did this pôle look like on a given day, who changed this session), field-level diffs built in (`diff_against`),
many-to-many values kept with each version, and an admin history view to build on; django-reversion keeps versions
as serialized blobs that can only be compared after deserialising them.

What this module adds:
- `History`: `HistoricalRecords` that remembers itself on the model, so that code can write one version on purpose
  (`record_version`): the admin writes a single version per save, after the many-to-many values and inlines are
  saved, instead of one per signal; fixture loads, whose raw saves write none, write one for what they changed.
- `restore_version`: puts an earlier version's values back (fields and tracked many-to-many values), as a new version.
- `history_paused`: no version written by signals meanwhile (fixture loads write theirs at the end, once per
  object, with `record_loaded_versions`); `history_suspended`: bulk deletes of synthetic rows write no history and
  stay plain DELETEs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.db.models import Model
from django.db.models.signals import post_delete, pre_delete
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

# The publication state is not part of a version one restores: publishing, archiving and the trash have their own
# actions and permissions (see poles.admin_base).
NOT_RESTORED = {"status", "publish_at", "deleted_at", "is_synthetic", "created_at", "updated_at", "search_text"}

_tracked: dict[type[Model], History] = {}
_state = threading.local()


class History(HistoricalRecords):
    """HistoricalRecords, registered so that `record_version` can write a version of any tracked model, and
    silent while `history_paused()` is in effect."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not getattr(_state, "paused", False):
            super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not getattr(_state, "paused", False):
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if not getattr(_state, "paused", False):
            super().post_delete(instance, using=using, **kwargs)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            _tracked[sender] = self

    def get_meta_options(self, model):
        # In French, as staff read them in the permissions of the roles ("pôle (historique)").
        options = super().get_meta_options(model)
        options["verbose_name"] = format_lazy("{} (historique)", model._meta.verbose_name)
        options["verbose_name_plural"] = format_lazy("{} (historique)", model._meta.verbose_name_plural)
        return options


def is_tracked(model: type[Model]) -> bool:
    return model in _tracked


def tracked_models() -> list[type[Model]]:
    return list(_tracked)


def record_version(instance: Model, history_type: str = "~", reason: str | None = None, user=None) -> None:
    """Write one version of `instance` as it is now in the database (its many-to-many values included)."""
    if reason is not None:
        instance._change_reason = reason
    if user is not None:
        instance._history_user = user
    _tracked[type(instance)].create_historical_record(instance, history_type)


def versions(instance: Model):
    return get_history_manager_for_model(instance).order_by("-history_date", "-history_id")


def restore_version(record, user=None) -> Model:
    """Give the object the values it had in `record` (an earlier version), as a new version of its own.

    Fields and tracked many-to-many values come back; the publication state stays as it is now (NOT_RESTORED), and
    child rows (a pôle's names, an event's sessions) keep their own history and are restored from their own pages.
    """
    model = record.instance_type
    instance = model._default_manager.get(pk=record.id)
    past = record.instance
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in NOT_RESTORED or not field.editable:
            continue
        value = getattr(past, field.attname)
        if field.is_relation and value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            continue  # what it pointed to was deleted for good since: keep the current value
        setattr(instance, field.attname, value)
    when = formats.date_format(timezone.localtime(record.history_date), "j F Y à H:i")
    reason = _("Restauration de la version du %(when)s") % {"when": when}
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for field in record._history_m2m_fields:
            through_field = field.m2m_reverse_field_name()
            values = getattr(record, field.name).values_list(f"{through_field}_id", flat=True)
            getattr(instance, field.name).set(list(values))
    finally:
        del instance.skip_history_when_saving
    record_version(instance, "~", reason=reason, user=user)
    return instance


@contextmanager
def history_paused():
    """Signals write no version meanwhile (in this thread): for bulk work that writes its own versions."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def record_loaded_versions(loaded: Mapping[type[Model], Mapping[int, str]], reason: str) -> int:
    """After a fixture load (`{model: {pk: "created" | "updated" | "unchanged"}}`): one version for each object the
    load created or changed, and for each object that has no history yet (loaded before history existed), so that
    every real row has a version to come back to. An unchanged object with a history gets nothing: loading twice
    writes nothing. Returns the number of versions written."""
    written = 0
    for model, outcomes in loaded.items():
        if not is_tracked(model) or not outcomes:
            continue
        history = get_history_manager_for_model(model)
        known = set(history.filter(id__in=list(outcomes)).values_list("id", flat=True).distinct())
        wanted = {pk: "~" if pk in known else "+" for pk, outcome in outcomes.items() if outcome != "unchanged" or pk not in known}
        for instance in model._default_manager.filter(pk__in=list(wanted)):
            record_version(instance, wanted[instance.pk], reason=reason)
            written += 1
    return written


@contextmanager
def history_suspended(models: Iterable[type[Model]] | None = None):
    """Write no history for deletions of these models (all tracked ones by default), and let Django delete them
    with plain DELETE statements: it only does so for models without delete signal receivers."""
    chosen = [(model, _tracked[model]) for model in (models or list(_tracked)) if model in _tracked]
    for model, records in chosen:
        pre_delete.disconnect(records.pre_delete, sender=model)
        post_delete.disconnect(records.post_delete, sender=model)
    try:
        yield
    finally:
        for model, records in chosen:
            pre_delete.connect(records.pre_delete, sender=model, weak=False)
            post_delete.connect(records.post_delete, sender=model, weak=False)
