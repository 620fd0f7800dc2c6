from django.db import migrations, models
from django.utils import timezone

REFERENCE_MODELS = ("poles.Region", "poles.Theme", "poles.Source")


def note_existing_tables(apps, schema_editor):
    # Their earlier changes left no trace: the moment of this migration is the one upper bound known.
    change = apps.get_model("opendata", "ReferenceTableChange")
    now = timezone.now()
    for table in REFERENCE_MODELS:
        change.objects.get_or_create(table=table, defaults={"changed_at": now})


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ReferenceTableChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("table", models.CharField(max_length=100, unique=True, verbose_name="table")),
                ("changed_at", models.DateTimeField(verbose_name="dernière modification")),
            ],
            options={
                "verbose_name": "modification d'une table de référence",
                "verbose_name_plural": "modifications des tables de référence",
            },
        ),
        migrations.RunPython(note_existing_tables, migrations.RunPython.noop),
    ]
