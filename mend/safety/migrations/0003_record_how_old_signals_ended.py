from typing import Any

from django.db import migrations
from django.db.models import F


def forwards(apps: Any, schema_editor: Any) -> None:
    Signal = apps.get_model("safety", "Signal")
    ended = Signal.objects.filter(ended_at__isnull=False, ended_how="")
    ended.filter(ended_by=F("sender")).update(ended_how="sender")
    # Before #10 the partner could end a pause; history says so rather than hide it.
    ended.exclude(ended_by=F("sender")).update(ended_how="partner")


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("safety", "Signal").objects.update(ended_how="")


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_signal_ready_and_how_it_ended")]

    operations = [migrations.RunPython(forwards, backwards)]
