"""Drop django-axes' tables: they kept each failed sign-in's address and browser.

Mend counts failed sign-ins in accounts.FailedAttempt now, which keeps neither.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Children before parents: the expiration table points at the attempts.
AXES_TABLES = [
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
    "axes_accessattempt",
]


def drop_axes_tables(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    existing = set(schema_editor.connection.introspection.table_names())
    for table in AXES_TABLES:
        if table in existing:
            schema_editor.execute(
                f"DROP TABLE {schema_editor.quote_name(table)}"  # fixed names
            )
    # So that adding django-axes back would create its tables again.
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'axes'")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_failed_attempts")]

    operations = [migrations.RunPython(drop_axes_tables, migrations.RunPython.noop)]
