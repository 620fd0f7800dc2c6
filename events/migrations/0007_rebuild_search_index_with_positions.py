"""Rebuild the archive search index: both engines now index stop words as a mark and split compounds (events.search),
so phrases give the same hits on PostgreSQL and SQLite. Derived data only: nothing else changes."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if not apps.get_model("events", "Event").objects.exists():
        return  # a fresh database: nothing indexed yet
    # The indexer of the current code, on purpose: the index must be what that code searches. If a later migration
    # changes SearchEntry, move this rebuild after it.
    from events.indexing import rebuild_all

    rebuild_all()


class Migration(migrations.Migration):
    dependencies = [("events", "0006_summary_en")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
