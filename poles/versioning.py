"""The content version: one token that every change to public content moves, so that cached results are never stale.

Anything cached from the database (archive search results today, pages tomorrow) puts `current()` in its key; a
change makes a new token and the old entries are simply never read again (the cache evicts them in time).

What moves it:
- every save, delete and many-to-many change of a model of the content apps (signals below, at once and again at
  commit, so that nothing read between the two can be cached under the new token);
- bulk writes that send no signals call `bump()` themselves (load_real_data, seed_demo, imports, the search index);
- time: an item scheduled for later becomes public without any write, so the token also expires at the earliest
  future `publish_at` of any content.

The token lives in the default cache, which settings require to be shared by every process (files on one machine,
Redis across several). The version is the token prefixed with the release (config.release): a deploy changes what
the same content renders to, so nothing cached by the previous code is served by the new one.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

CONTENT_APPS = {"poles", "events", "policy"}
KEY = "content-version"


def current() -> str:
    """The version of the content as it is now, for this release: one cache read (a query only when the cache was
    emptied)."""
    return f"{settings.RELEASE_ID}-{_token()}"


def _token() -> str:
    # The token and the moment it expires (the next scheduled publication, or None) are stored together by bump():
    # one read per request, and never a token without its expiry.
    stored = cache.get(KEY)
    if not isinstance(stored, tuple):  # emptied cache, or a value stored by an older release
        bump()
        stored = cache.get(KEY)
        if not isinstance(stored, tuple):  # a cache that keeps nothing: every request is a new version
            return uuid.uuid4().hex
    token, expires = stored
    if expires is not None and time.time() >= expires:
        schedule_passed.send(sender=None, since=datetime.fromtimestamp(expires, tz=UTC))
        bump()
        return _token()
    return token


def bump() -> None:
    """A new token, stored with the moment it expires (the next scheduled publication)."""
    cache.set(KEY, (uuid.uuid4().hex, _next_scheduled()), None)


# Sent once a scheduled publication time has passed (by the first request after it), with `since`: that moment.
# Receivers catch up on what nothing wrote at that moment (events.signals reindexes the sessions naming the items).
schedule_passed = Signal()


def _next_scheduled() -> float | None:
    """The earliest moment some published content scheduled for later becomes public (epoch seconds), if any."""
    from poles.content import Content, PublicationStatus

    now = timezone.now()
    statements, params = [], []
    for model in apps.get_models():
        if issubclass(model, Content):
            scheduled = model._base_manager.filter(status=PublicationStatus.PUBLISHED, publish_at__gt=now)
            sql, model_params = scheduled.order_by().values_list("publish_at").query.sql_with_params()
            statements.append(f"SELECT MIN(publish_at) FROM ({sql}) AS {model._meta.db_table}")
            params += model_params
    if not statements:
        return None
    with connection.cursor() as cursor:  # one query, whatever the number of content types
        cursor.execute(" UNION ALL ".join(statements), params)
        moments = [_aware(row[0]) for row in cursor.fetchall() if row[0] is not None]
    return min((moment.timestamp() for moment in moments), default=None)


def _aware(value):
    """SQLite hands MIN() back as text; PostgreSQL as an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def _content_changed(sender, **kwargs) -> None:
    bump()
    transaction.on_commit(bump)


SIGNALS = (post_save, post_delete, m2m_changed)


def _content_models() -> list:
    """Every model of the content apps (many-to-many tables included), except data derived from content, such as the
    search index: events.indexing rewrites it in bulk and bumps once. Connecting to these senders only, rather than
    to every model, also leaves the derived tables without delete receivers, so Django deletes their rows in one
    statement instead of one signal (and one bump) per row."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in CONTENT_APPS and not getattr(model, "derived_from_content", False)
    ]


def connect_signals() -> None:
    for model in _content_models():
        for signal in SIGNALS:
            signal.connect(_content_changed, sender=model, dispatch_uid=f"content-version-{id(signal)}-{model._meta.label}")


def disconnect_signals() -> None:
    """For bulk work (see events.signals.indexing_suspended), which bumps the version itself at the end."""
    for model in _content_models():
        for signal in SIGNALS:
            signal.disconnect(sender=model, dispatch_uid=f"content-version-{id(signal)}-{model._meta.label}")
