"""`mend backup`: a consistent copy of Mend's database, taken while Mend runs.

What a backup holds, and what it leaves out:
- Every table. Private entries stay sealed under each person's own data key, so a
  backup file opens nothing by itself; shared entries and names are readable in it,
  as they are in the live database. Keep backups as carefully as the database.
- Not var/secret_key. Private data never depends on it (nothing is sealed under it);
  it only signs sessions and CSRF tokens. Leaving it out means a stolen backup cannot
  forge a sign-in; restoring elsewhere starts a new key and everyone signs in again.
"""

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """Return the libpq connection arguments and an environment holding the password.

    The password goes in PGPASSWORD only: never on a command line, where any local
    user can read it in the process list, and never in a message.
    """
    db = settings.DATABASES["default"]
    args = []
    flags: tuple[tuple[str, Literal["HOST", "PORT", "USER"]], ...] = (
        ("--host", "HOST"),
        ("--port", "PORT"),
        ("--username", "USER"),
    )
    for flag, name in flags:
        if db.get(name):
            args += [flag, str(db[name])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def run_pg_tool(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603  # fixed argument list, no shell
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as e:
        raise CommandError(
            f"{command[0]} was not found. Install the PostgreSQL client tools of "
            "the same major version as the server (Debian: postgresql-client)."
        ) from e
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def default_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    suffix = "pgdump" if is_postgresql() else "sqlite3"
    return Path(settings.VAR_DIR) / "backups" / f"mend-{stamp}.{suffix}"


def expired(folder: Path, keep: int) -> list[Path]:
    """Return the backups Mend wrote in FOLDER, all but the newest KEEP."""
    written = sorted(
        (p for p in folder.glob("mend-*") if p.is_file() and p.suffix != ".partial"),
        key=lambda p: p.stat().st_mtime,
    )
    return written[:-keep]


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database while Mend runs (SQLite: the online "
        "backup API; PostgreSQL: pg_dump in custom format). The secret key is not "
        "included: private entries do not depend on it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write the backup (default: MEND_VAR_DIR/backups/).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help=(
                "Then delete all but the newest N backups Mend wrote in that folder "
                "(mend-*). Erasure can't reach a backup, so keep as few as you need."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep needs a number of backups, 1 or more.")
        path = Path(options["path"]) if options["path"] else default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target, then renamed: a backup that stops halfway never
        # looks like a finished one.
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        try:
            if is_postgresql():
                self._pg_dump(partial)
            else:
                self._sqlite_backup(partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(str(path))
        if keep is not None:
            for old in expired(path.parent, keep):
                old.unlink()
                self.stdout.write(f"deleted {old}")

    def _sqlite_backup(self, target: Path) -> None:
        connection.ensure_connection()
        source = connection.connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1) under a read transaction: a consistent snapshot even
            # while the server writes; other readers and writers carry on (WAL).
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()

    def _pg_dump(self, target: Path) -> None:
        args, env = pg_environment()
        run_pg_tool(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                str(settings.DATABASES["default"]["NAME"]),
            ],
            env,
        )
