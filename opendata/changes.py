"""When each dataset last changed: the latest moment any of the tables it reads changed, read in one query.

A dataset names what it reads (`Dataset.changes`), each as one of:
- `content(Model)`: a content type (poles.content.Content). Its rows' `updated_at` (every save, publishing,
  archiving and the trash included), the `publish_at` already passed (a scheduled row appears without any write),
  and its history (django-simple-history: many-to-many changes, imports, fixture loads).
- `history(Model)`: a child table with a history but no timestamps (memberships, appearances, labels).
- `reference(Model)`: regions, themes and sources, with neither: `ReferenceTableChange`, written here on each save
  or delete of one of their rows.

The date is an upper bound: an edit of a draft, or of a row through which nothing public changed, moves it too; a
re-user who refreshes a dataset when its date moves therefore never misses a change. The result is cached under
the content version (poles.versioning), which every change moves.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from poles import versioning

REFERENCE_MODELS = ("poles.Region", "poles.Theme", "poles.Source")
CACHE_SECONDS = 24 * 3600


def content(model: type[Model]) -> str:
    return f"content:{model._meta.label}"


def history(model: type[Model]) -> str:
    return f"history:{model._meta.label}"


def reference(model: type[Model]) -> str:
    return f"reference:{model._meta.label}"


def _parts(key: str):
    from opendata.models import ReferenceTableChange

    kind, label = key.split(":", 1)
    model = apps.get_model(label)
    if kind == "content":
        yield model._base_manager.annotate(moment=F("updated_at"))
        yield model._base_manager.filter(publish_at__lte=timezone.now()).annotate(moment=F("publish_at"))
    if kind in {"content", "history"}:
        yield model.history.model._base_manager.annotate(moment=F("history_date"))
    if kind == "reference":
        yield ReferenceTableChange.objects.filter(table=label).annotate(moment=F("changed_at"))


def all_sources() -> list[str]:
    from opendata.datasets import DATASETS, SEARCH_HITS

    return sorted({key for dataset in (*DATASETS.values(), SEARCH_HITS) for key in dataset.changes})


def last_changes(keys) -> dict[str, datetime.datetime | None]:
    """The last change of each of these sources. Every source of every dataset is read at once, in one query, then
    nothing until the content changes."""
    cache_key = f"opendata-changes:{versioning.current()}"
    found = cache.get(cache_key)
    if found is None:
        found = _read(all_sources())
        cache.set(cache_key, found, CACHE_SECONDS)
    return {key: found[key] for key in keys}


def _read(keys: list[str]) -> dict[str, datetime.datetime | None]:
    statements, params, owners = [], [], []
    for key in keys:
        for queryset in _parts(key):
            sql, part_params = queryset.order_by().values_list("moment").query.sql_with_params()
            statements.append(f"SELECT {len(owners)}, MAX(moment) FROM ({sql}) AS part_{len(owners)}")
            params += part_params
            owners.append(key)
    found: dict[str, datetime.datetime | None] = dict.fromkeys(keys)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        for index, moment in cursor.fetchall():
            if moment is not None:
                moment = _aware(moment)
                key = owners[index]
                found[key] = moment if found[key] is None else max(found[key], moment)
    return found


def last_change(keys) -> datetime.datetime | None:
    moments = [moment for moment in last_changes(keys).values() if moment is not None]
    return max(moments, default=None)


def _aware(value) -> datetime.datetime:
    """SQLite hands MAX() back as text; PostgreSQL as an aware datetime."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def note_change(sender, **kwargs) -> None:
    from opendata.models import ReferenceTableChange

    ReferenceTableChange.objects.update_or_create(table=sender._meta.label, defaults={"changed_at": timezone.now()})


def connect_signals() -> None:
    for label in REFERENCE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(note_change, sender=label, dispatch_uid=f"opendata-{label}-{id(signal)}")
