import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite only")
def test_it_refuses_several_workers_without_a_shared_channel(
    db: None, settings: Settings
) -> None:
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="shared channel for live signals"):
        call_command("serve", workers=2, no_migrate=True)
