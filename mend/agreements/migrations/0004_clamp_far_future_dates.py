"""Bring any far-future review date or talk time back to 9998-12-31.

Before dates were bounded, year 9999 with a time-zone offset could be stored: on
PostgreSQL as a moment in year 10000 that Python cannot read back, which broke the
agreements pages and exports. The value is never meaningful, so it is moved to the
furthest day every page and time zone can still show.
"""

from datetime import UTC, date, datetime

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FAR_FUTURE = date(9998, 12, 31)
FAR_FUTURE_AT = datetime(9998, 12, 31, tzinfo=UTC)


def clamp(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Agreement = apps.get_model("agreements", "Agreement")
    Repair = apps.get_model("agreements", "Repair")
    Agreement.objects.filter(review_on__gt=FAR_FUTURE).update(review_on=FAR_FUTURE)
    Repair.objects.filter(talk_at__gt=FAR_FUTURE_AT).update(talk_at=FAR_FUTURE_AT)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_bounded_far_future_dates")]

    operations = [migrations.RunPython(clamp, migrations.RunPython.noop)]
