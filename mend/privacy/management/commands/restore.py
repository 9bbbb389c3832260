"""`mend restore FILE`: bring back a backup written by `mend backup`.

Stop Mend first. On SQLite the copy goes into the existing database file through the
online backup API, in one transaction: it either completes or leaves the database as
it was. Restore refuses while another process has the database open. On PostgreSQL,
pg_restore --clean --if-exists replaces every table in one transaction.
"""

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from mend.privacy.management.commands.backup import (
    is_postgresql,
    pg_environment,
    run_pg_tool,
)

if TYPE_CHECKING:
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

IN_USE = (
    "The database looks in use by another process. Stop Mend (mend serve) and any "
    "other mend command, then run restore again."
)


def check_sqlite_backup(path: Path) -> None:
    try:
        backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = backup.execute("PRAGMA integrity_check").fetchone()
            tables = {
                row[0] for row in backup.execute("SELECT name FROM sqlite_master")
            }
        finally:
            backup.close()
    except sqlite3.DatabaseError as e:
        raise CommandError(f"{path} is not a Mend SQLite backup: {e}") from e
    if ok != ("ok",) or "django_migrations" not in tables:
        raise CommandError(f"{path} is not a complete Mend SQLite backup.")


class Command(BaseCommand):
    help = (
        "Replace the database with a backup written by `mend backup`. Stop Mend first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup file to restore.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if is_postgresql():
            self._pg_restore(path)
        else:
            self._sqlite_restore(path)
        self.stdout.write(f"Restored {path}.")

    def _sqlite_restore(self, path: Path) -> None:
        check_sqlite_backup(path)
        sqlite = cast("SQLiteWrapper", connection)  # handle() sends only SQLite here
        connection.close()
        connection.ensure_connection()
        target = connection.connection
        assert isinstance(target, sqlite3.Connection)
        if not sqlite.is_in_memory_db():
            target.execute("PRAGMA busy_timeout=0")
            # Leaving WAL needs the only connection to the file: a cheap, reliable
            # sign that no server or other command has it open.
            try:
                target.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError as e:
                raise CommandError(IN_USE) from e
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(target)
        except sqlite3.OperationalError as e:
            raise CommandError(f"{IN_USE} ({e})") from e
        finally:
            source.close()
        if not sqlite.is_in_memory_db():
            target.execute("PRAGMA journal_mode=WAL")
        connection.close()

    def _pg_restore(self, path: Path) -> None:
        args, env = pg_environment()
        connection.close()
        run_pg_tool(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                str(settings.DATABASES["default"]["NAME"]),
                str(path),
            ],
            env,
        )
