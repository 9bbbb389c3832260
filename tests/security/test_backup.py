"""`mend backup` and `mend restore` bring a couple's space back whole."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from conftest import PASSWORD, signed_in
from mend.accounts.models import Keyring, User
from mend.couples.models import Membership, Space
from mend.journal.models import JournalEntry
from mend.privacy.models import AccessLog

ROOT = Path(__file__).resolve().parent.parent.parent


def _write(client: Client, body: str, share: bool = False) -> JournalEntry:
    data = {"title": "title of " + body, "body": body}
    if share:
        data["share"] = "on"
    assert client.post("/journal/new/", data).status_code == 302
    return JournalEntry.objects.latest("created_at")


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_a_populated_space(
    space: Space, ana: User, ben: User, tmp_path: Path
) -> None:
    a, b = signed_in(ana), signed_in(ben)
    private = _write(a, "zq private for the round trip")
    shared = _write(a, "zq shared for the round trip", share=True)
    assert b"zq shared" in b.get(f"/journal/{shared.code}/").content
    assert AccessLog.objects.count() == 1
    backup = tmp_path / "mend.backup"

    call_command("backup", str(backup))
    assert backup.stat().st_size > 0
    assert backup.stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    call_command("restore", str(backup))

    assert Membership.objects.filter(space__code=space.code).count() == 2
    assert JournalEntry.objects.count() == 2
    log = AccessLog.objects.get()
    assert (log.viewer_id, log.author_id, log.object_code) == (
        ben.pk,
        ana.pk,
        shared.code,
    )
    ana = User.objects.get(username="ana")
    key = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    restored = JournalEntry.objects.get(code=private.code)
    assert restored.content(key, ana)["body"] == "zq private for the round trip"
    # And through the real sign-in, as Ana would see it.
    page = signed_in(ana).get(f"/journal/{private.code}/")
    assert b"zq private for the round trip" in page.content
    assert b"zq shared" in signed_in(ben).get(f"/journal/{shared.code}/").content


@pytest.mark.django_db(transaction=True)
def test_it_writes_under_var_by_default(
    settings: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]  # pytest-django settings
    call_command("backup")
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path / "backups"
    assert written.is_file()
    assert not list(written.parent.glob("*.partial"))


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing"))


def _mend(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own command, fixed arguments
        [sys.executable, "-m", "mend.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_sqlite_restore_refuses_while_the_database_is_open(tmp_path: Path) -> None:
    env = {**os.environ, "MEND_VAR_DIR": str(tmp_path), "MEND_TESTING": "1"}
    env.pop("MEND_DATABASE_URL", None)
    assert _mend(env, "migrate", "--verbosity", "0").returncode == 0
    made = _mend(env, "backup", str(tmp_path / "copy.sqlite3"))
    assert made.returncode == 0, made.stderr
    server = sqlite3.connect(tmp_path / "mend.sqlite3")
    server.execute("SELECT count(*) FROM django_migrations").fetchone()
    try:
        refused = _mend(env, "restore", str(tmp_path / "copy.sqlite3"))
    finally:
        server.close()
    assert refused.returncode != 0
    assert "Stop Mend" in refused.stderr
    done = _mend(env, "restore", str(tmp_path / "copy.sqlite3"))
    assert done.returncode == 0, done.stderr
    check = sqlite3.connect(tmp_path / "mend.sqlite3")
    assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_pg_tools_get_the_password_from_the_environment_only() -> None:
    from mend.privacy.management.commands.backup import pg_environment

    if connection.vendor != "postgresql":
        pytest.skip("the connection arguments only matter on PostgreSQL")
    args, env = pg_environment()
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        assert password not in " ".join(args)
        assert env["PGPASSWORD"] == password


@pytest.mark.django_db(transaction=True)
def test_it_keeps_only_the_newest_backups(
    settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]  # pytest-django settings
    folder = tmp_path / "backups"
    folder.mkdir()
    mine = folder / "notes.txt"
    mine.write_text("not a backup")
    for age, name in enumerate(["mend-old.sqlite3", "mend-older.sqlite3"]):
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, (1_000_000 - age, 1_000_000 - age))
    call_command("backup", str(folder / "mend-new.sqlite3"), keep=2)
    assert sorted(p.name for p in folder.iterdir()) == [
        "mend-new.sqlite3",
        "mend-old.sqlite3",
        "notes.txt",
    ]
    with pytest.raises(CommandError, match="1 or more"):
        call_command("backup", keep=0)
