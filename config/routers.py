"""Reads of public pages from a PostgreSQL read replica, when DATABASE_REPLICA_URL configures one.

Only what an anonymous visitor reads goes to the replica: staff, forms and every write use the primary, so nobody
reads back an older state than the one they just wrote (a replica lags a little behind). Without a replica, every
query goes to the primary as usual.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

public_read: ContextVar[bool] = ContextVar("public_read", default=False)

REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if public_read.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: rows from either are the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
