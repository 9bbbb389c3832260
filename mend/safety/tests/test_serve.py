import socket
import stat
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from e2e.conftest import ROOT, server_env


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite only")
def test_it_refuses_several_workers_without_a_shared_channel(
    db: None, settings: Settings
) -> None:
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="shared channel for live signals"):
        call_command("serve", workers=2, no_migrate=True)


def test_it_serves_over_a_unix_socket(tmp_path: Path) -> None:
    env = server_env(tmp_path, "mend_serve_uds")
    sock = tmp_path / "mend.sock"
    with (tmp_path / "serve.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603  # our own command, fixed arguments
            [
                str(ROOT / ".venv" / "bin" / "mend"),
                "serve",
                "--no-migrate",
                "--uds",
                str(sock),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            answer = _get_over(sock, server, tmp_path / "serve.log")
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            # Only the owner and its group (the proxy) may connect.
            assert stat.S_IMODE(sock.stat().st_mode) == 0o660
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)


def _get_over(sock: Path, server: subprocess.Popen[bytes], log: Path) -> bytes:
    """Return the raw answer to GET /kitchen/ over SOCK, once the server listens."""
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, log.read_text()
        client = socket.socket(socket.AF_UNIX)
        try:
            client.connect(str(sock))
        except (FileNotFoundError, ConnectionRefusedError):
            client.close()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
            continue
        with client:
            client.sendall(
                b"GET /kitchen/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
            return answer
