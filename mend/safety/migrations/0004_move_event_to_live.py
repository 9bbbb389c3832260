from django.db import migrations


class Migration(migrations.Migration):
    """Live events move to their own app (#15); the rows stay, the table is renamed."""

    dependencies = [("safety", "0003_record_how_old_signals_ended")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="event", table="live_event"),
            ],
            state_operations=[migrations.DeleteModel(name="Event")],
        )
    ]
