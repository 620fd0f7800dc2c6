import datetime

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

ALWAYS_VISIBLE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def copy_from_events(apps, schema_editor):
    """Fill the new columns of existing entries from their event and session (the same rules as events.indexing)."""
    SearchEntry = apps.get_model("events", "SearchEntry")
    Event = apps.get_model("events", "Event")
    Session = apps.get_model("events", "Session")
    entries = SearchEntry.objects.using(schema_editor.connection.alias)
    event = Event.objects.filter(pk=OuterRef("event_id"))
    session = Session.objects.filter(pk=OuterRef("session_id"))
    entries.update(date=Subquery(event.values("date")[:1]), event_kind=Subquery(event.values("kind")[:1]))
    entries.filter(session__isnull=False).update(
        session_kind=Subquery(session.values("kind")[:1]), session_order=Subquery(session.values("order")[:1])
    )
    batch = []
    for entry in entries.select_related("event", "session").only(
        "event__status", "event__publish_at", "session__status", "session__publish_at"
    ).iterator(chunk_size=2000):
        moments = [entry.event] + ([entry.session] if entry.session_id else [])
        visible = [None if item.status != "published" else (item.publish_at or ALWAYS_VISIBLE) for item in moments]
        entry.visible_from = None if None in visible else max(visible)
        batch.append(entry)
        if len(batch) == 2000:
            entries.bulk_update(batch, ["visible_from"])
            batch = []
    entries.bulk_update(batch, ["visible_from"])


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0003_search_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry", name="date", field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchentry", name="event_kind", field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(model_name="searchentry", name="session_kind", field=models.CharField(blank=True, max_length=12)),
        migrations.AddField(model_name="searchentry", name="session_order", field=models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(model_name="searchentry", name="visible_from", field=models.DateTimeField(null=True)),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["date", "event", "session_order"], name="searchentry_date"),
        ),
        migrations.RunPython(copy_from_events, migrations.RunPython.noop),
    ]
