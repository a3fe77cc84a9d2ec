from django.db import migrations, models


def seed_counters(apps, schema_editor):
    """Counters by prefix, continuing from the folios already given."""
    Entry = apps.get_model("contests", "Entry")
    FolioCounter = apps.get_model("contests", "FolioCounter")
    last: dict[str, int] = {}
    for folio in Entry.objects.exclude(folio=None).values_list("folio", flat=True):
        prefix, _sep, number = folio.rpartition("-")
        if number.isascii() and number.isdigit():
            last[prefix] = max(last.get(prefix, 0), int(number))
    for prefix, number in last.items():
        FolioCounter.objects.create(prefix=prefix, last=number)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0003_call_jury_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.DeleteModel(name="FolioCounter"),
        migrations.CreateModel(
            name="FolioCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("prefix", models.CharField(max_length=30, unique=True)),
                ("last", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(seed_counters, migrations.RunPython.noop),
        migrations.AddField(
            model_name="entry",
            name="owner_was_minor",
            field=models.BooleanField(editable=False, help_text="Fijado al enviar: decide si su nombre puede publicarse.",
                                      null=True, verbose_name="menor de edad al enviar"),
        ),
    ]
