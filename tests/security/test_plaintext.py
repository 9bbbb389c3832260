"""Private entries written through the real pages leave no plaintext anywhere at rest.

A real `mend serve` with its own database; Ana signs up, signs in and writes private
entries carrying unique markers. Then the raw database (SQLite file and its WAL, or a
pg_dump), a `mend backup` file and the server's log are searched for the markers and
for Ana's data key: none is there. The session table holds the key only sealed.
"""

import json
import logging
import os
import re
import subprocess
import sys
import uuid
from base64 import b64encode, urlsafe_b64encode
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client

from conftest import PASSWORD
from e2e.conftest import MendServer
from mend.accounts.models import User
from mend.couples.models import Space

ROOT = Path(__file__).resolve().parent.parent.parent
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

KEY_SCRIPT = """
import json
from django.contrib.sessions.models import Session
from mend.accounts.models import Keyring
key = Keyring.objects.get(user__username="ana").open_with_password(%r)
sessions = list(Session.objects.all())
print(json.dumps({
    "key": key.hex(),
    "sessions": len(sessions),
    "session_text": [s.session_data for s in sessions]
    + [json.dumps(s.get_decoded()) for s in sessions],
}))
"""


def _post(
    session: requests.Session, url: str, data: dict[str, str]
) -> requests.Response:
    page = session.get(url, timeout=30)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {url}"
    response = session.post(
        url, data={**data, "csrfmiddlewaretoken": match.group(1)}, timeout=30
    )
    assert response.status_code < 400, (url, response.status_code, response.text[:500])
    return response


def _mend(server: MendServer, *args: str) -> str:
    result = subprocess.run(  # noqa: S603  # our own command, fixed arguments
        [sys.executable, "-m", "mend.cli", *args],
        env=server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _key_forms(key: bytes) -> list[bytes]:
    return [key, key.hex().encode(), b64encode(key), urlsafe_b64encode(key)]


def test_private_entries_are_nowhere_in_the_clear(
    start_server: Callable[..., MendServer], tmp_path: Path
) -> None:
    server = start_server()
    ana = requests.Session()
    _post(
        ana,
        server.url + "/accounts/signup/",
        {
            "username": "ana",
            "display_name": "Ana",
            "time_zone": "UTC",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # Sign in again through the real login form, as on any other day.
    ana.post(server.url + "/accounts/logout/", data={}, timeout=30)
    ana = requests.Session()
    _post(
        ana, server.url + "/accounts/login/", {"username": "ana", "password": PASSWORD}
    )
    _post(ana, server.url + "/space/new/", {"name": "", "roles": "unsaid"})
    markers = [f"zqplain{uuid.uuid4().hex}" for _ in range(6)]
    for i in range(0, len(markers), 2):
        _post(
            ana,
            server.url + "/journal/new/",
            {"title": markers[i], "body": f"today {markers[i + 1]} happened"},
        )
    listing = ana.get(server.url + "/journal/", timeout=30).text
    assert all(m in listing for m in markers), "the entries were not written"

    places: dict[str, bytes] = {}
    var = Path(server.env["MEND_VAR_DIR"])
    database_url = server.env.get("MEND_DATABASE_URL", "")
    if database_url:
        places["pg_dump"] = subprocess.run(  # noqa: S603  # fixed arguments
            ["pg_dump", "--no-owner", database_url],  # noqa: S607  # from PATH, as CI installs it
            capture_output=True,
            check=True,
        ).stdout
    else:
        for name in ("mend.sqlite3", "mend.sqlite3-wal"):
            if (var / name).exists():
                places[name] = (var / name).read_bytes()
        assert "mend.sqlite3" in places
    backup = tmp_path / "backup"
    _mend(server, "backup", str(backup))
    places["mend backup"] = backup.read_bytes()
    server.log.flush()
    places["server log"] = Path(server.log.name).read_bytes()

    output = _mend(server, "shell", "--no-imports", "-c", KEY_SCRIPT % PASSWORD)
    found = json.loads(output.strip().splitlines()[-1])
    key = bytes.fromhex(found["key"])
    assert found["sessions"] >= 1
    for text in found["session_text"]:
        assert not any(
            form.decode(errors="ignore") in text for form in _key_forms(key)[1:]
        )
        assert not any(m in text for m in markers)

    for where, data in places.items():
        assert len(data) > 0, where
        for marker in markers:
            assert marker.encode() not in data, f"{marker} in the clear in {where}"
        for form in _key_forms(key):
            assert form not in data, f"Ana's data key in {where}"
    assert os.path.getsize(backup) > 1000


def test_private_text_never_reaches_the_logs(
    space: Space,
    ana: User,
    client_for: Callable[[User], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    marker = f"zqlog{uuid.uuid4().hex}"
    client = client_for(ana)
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "mend"):
        caplog.set_level(logging.DEBUG, logger=name)
    # Every SQL statement and its parameters go to the log too.
    connection.force_debug_cursor = True
    try:
        assert client.post("/journal/new/", {"body": marker}).status_code == 302
        made = client.post(
            "/api/journal/entries",
            {"title": marker, "body": marker},
            content_type="application/json",
        )
        assert made.status_code == 201
        assert marker in client.get("/journal/").content.decode()
        client.post("/journal/new/", {"body": marker, "title": "x" * 500})
    finally:
        connection.force_debug_cursor = False
    assert "journal_journalentry" in caplog.text, "SQL was not logged"
    assert marker not in caplog.text
