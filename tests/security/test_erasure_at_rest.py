"""Erased and unshared text leaves no readable copy in SQLite's files."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
WRITER = Path(__file__).with_name("erasure_writer.py")


def _bytes(var: Path) -> bytes:
    """Return the database, its write-ahead log and shared-memory index, as stored."""
    return b"".join(
        path.read_bytes()
        for path in sorted(var.glob("mend.sqlite3*"))
        if path.is_file()
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own files")
def test_it_leaves_no_erased_text_in_the_database_or_its_log(tmp_path: Path) -> None:
    env = {**os.environ, "MEND_VAR_DIR": str(tmp_path), "MEND_TESTING": "1"}
    env.pop("MEND_DATABASE_URL", None)
    subprocess.run(  # our own command, fixed arguments
        [sys.executable, "-m", "mend.cli", "migrate", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    # Long enough to spill onto overflow pages; a token no page holds by chance.
    markers = [
        f"zq-{name}-{secrets.token_hex(8)}-" * 200 for name in ("un", "del", "left")
    ]
    writer = subprocess.Popen(  # noqa: S603  # our own script
        [sys.executable, str(WRITER), *markers],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdin is not None and writer.stdout is not None

    def do(step: str) -> bytes:
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.write(step + "\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == f"done {step}"
        return _bytes(tmp_path)

    try:
        stored = do("write")
        # The scan can see them: shared words are stored readable, by design.
        assert all(m[:40].encode() in stored for m in markers)
        assert markers[0][:40].encode() not in do("unshare")
        assert markers[1][:40].encode() not in do("delete")
        assert markers[2][:40].encode() in _bytes(tmp_path)
        assert markers[2][:40].encode() not in do("leave")
        assert markers[2][:40].encode() not in do("erase")
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own setting")
def test_it_turns_secure_delete_on_for_every_connection(db: None) -> None:
    # Some builds of SQLite (Debian's) have it on already; others don't.
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "PRAGMA secure_delete=ON;" in options["init_command"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone() == (1,)
