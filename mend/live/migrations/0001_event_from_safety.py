import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Take over safety's Event and its table, renamed by safety 0004 (#15)."""

    initial = True

    dependencies = [
        ("couples", "0001_initial"),
        ("safety", "0004_move_event_to_live"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Event",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, unique=True
                            ),
                        ),
                        (
                            "type",
                            models.CharField(
                                choices=[
                                    ("signal", "Signal"),
                                    ("intimacy", "Intimacy"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("subject", models.UUIDField()),
                        ("change", models.CharField(blank=True, max_length=20)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "space",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="couples.space",
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["space", "id"],
                                name="safety_even_space_i_3011b6_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
