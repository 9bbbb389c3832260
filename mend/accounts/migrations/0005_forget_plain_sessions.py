"""Sign everyone out once: session keys were kept as they are, now only as a keyed hash.

Rows kept the old way could be turned back into a cookie from a copy of the database,
and the device list kept labels in the clear; neither is worth keeping.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def forget(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("accounts", "SignedInSession").objects.all().delete()
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_drop_axes_tables"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
