"""Publishing results becomes its own row (who, when) instead of a page field also written into
the latest revision's JSON."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_publications(apps, schema_editor):
    """Results published before this migration keep their date, now in their own row. Who
    published them is read from the audit log (the latest "resultados" event)."""
    Call = apps.get_model("contests", "ContestCallPage")
    Publication = apps.get_model("contests", "ResultsPublication")
    AuditEvent = apps.get_model("contests", "AuditEvent")
    for call in Call.objects.filter(results_published_at__isnull=False):
        event = (AuditEvent.objects.filter(call_id=call.pk, action="resultados")
                 .order_by("-at", "-id").first())
        Publication.objects.get_or_create(call_id=call.pk, defaults={
            "published_at": call.results_published_at,
            "published_by_id": event.actor_id if event else None})


def restore_field(apps, schema_editor):
    Call = apps.get_model("contests", "ContestCallPage")
    Publication = apps.get_model("contests", "ResultsPublication")
    for publication in Publication.objects.all():
        Call.objects.filter(pk=publication.call_id).update(results_published_at=publication.published_at)


class Migration(migrations.Migration):

    dependencies = [
        ('contests', '0006_blind_copies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ResultsPublication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='publicados el')),
                ('call', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='results_publication', to='contests.contestcallpage')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='publicados por')),
            ],
            options={
                'verbose_name': 'publicación de resultados',
                'verbose_name_plural': 'publicaciones de resultados',
            },
        ),
        migrations.RunPython(copy_publications, restore_field, elidable=False),
        migrations.RemoveField(
            model_name='contestcallpage',
            name='results_published_at',
        ),
    ]
