"""The test servers' databases: a same-named database another role left behind is no bar.

CI runs against the machine's PostgreSQL as the session left it; a database a local run
made (as another role) under the name a CI test wants made four tests fail with "must be
owner of database" before they started.
"""

import os
import secrets
import urllib.parse
from collections.abc import Iterator

import pytest

from e2e.conftest import fresh_postgres_database

URL = os.environ.get("MEND_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"),
    reason="needs PostgreSQL (set MEND_DATABASE_URL); CI runs it there",
)


def _connect(url: str, dbname: str = "postgres"):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{url.rpartition('/')[0]}/{dbname}", autocommit=True)


def _exists(url: str, name: str) -> bool:
    with _connect(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return row.fetchone() is not None


@pytest.fixture
def taken() -> Iterator[tuple[str, str]]:
    """(url of a role that may create databases, a database name another role owns)."""
    from psycopg import sql

    with _connect(URL) as conn:
        row = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        superuser = bool(row and row[0])
    if not superuser:
        # CI's role: "postgres" is the superuser's, and this role cannot drop it.
        yield URL, "postgres"
        return
    role = f"mend_probe_{secrets.token_hex(4)}"
    password = secrets.token_hex(16)
    name = f"mend_probe_taken_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(URL)
    url = parts._replace(
        netloc=f"{role}:{password}@{parts.hostname}:{parts.port or 5432}"
    ).geturl()
    with _connect(URL) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url, name
    finally:
        with _connect(URL) as conn:
            for (db,) in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"{name}%"],
            ).fetchall():
                conn.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(db))
                )
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_it_makes_its_own_database_beside_one_it_may_not_drop(
    taken: tuple[str, str],
) -> None:
    url, name = taken
    fresh = fresh_postgres_database(url, name)
    made = fresh.rpartition("/")[2]
    assert made != name
    assert made.startswith(name)
    assert _exists(URL, name), "the other role's database is left alone"
    with _connect(fresh, made) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_class WHERE relname = 'django_migrations'"
        ).fetchone() == (0,)
    # Asked again, it starts that database afresh rather than making another.
    with _connect(fresh, made) as conn:
        conn.execute("CREATE TABLE left_over (x int)")
    again = fresh_postgres_database(url, name)
    assert again == fresh
    with _connect(again, made) as conn:
        row = conn.execute("SELECT to_regclass('left_over')").fetchone()
        assert row == (None,)
    with _connect(URL) as conn:
        from psycopg import sql

        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(made)
            )
        )
