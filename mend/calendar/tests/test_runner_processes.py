"""Reminder runners as separate processes on one SQLite file, against a real SMTP
server: two at once send each reminder once; one killed mid-run loses nothing and,
restarted, repeats nothing. (SQLite here; PostgreSQL claims rows the same way.)
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from mend.calendar.tests.smtp import Inbox, free_port, smtp_server
from tests.security.figures import record

ROOT = Path(__file__).resolve().parents[3]
WORLD = Path(__file__).with_name("reminder_world.py")
COUPLES = 10
EVERYONE = sorted(
    f"p{n:02d}{side}@example.org" for n in range(COUPLES) for side in "ab"
)


def _env(tmp_path: Path, port: int, lease: int = 300) -> dict[str, str]:
    env = {
        **os.environ,
        "MEND_VAR_DIR": str(tmp_path),
        "MEND_TESTING": "1",
        "MEND_SMTP_HOST": "127.0.0.1",
        "MEND_SMTP_PORT": str(port),
        "MEND_SMTP_STARTTLS": "0",
        "MEND_REMINDER_LEASE_SECONDS": str(lease),
    }
    env.pop("MEND_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _prepare(env: dict[str, str]) -> None:
    for args in (
        ["-m", "mend.cli", "migrate", "--verbosity", "0"],
        [str(WORLD), "setup", str(COUPLES)],
    ):
        subprocess.run(  # noqa: S603  # our own command, fixed arguments
            [sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True
        )


def _runner(env: dict[str, str]) -> "subprocess.Popen[str]":
    return subprocess.Popen(  # noqa: S603  # our own script
        [sys.executable, str(WORLD), "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _deliveries(tmp_path: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(tmp_path / "mend.sqlite3") as db:
        return db.execute(
            "SELECT key, user_id, sent_at IS NOT NULL FROM notify_delivery"
        ).fetchall()


def test_two_runners_at_once_send_each_reminder_once(tmp_path: Path) -> None:
    with smtp_server(Inbox(delay=0.03)) as (inbox, port):
        env = _env(tmp_path, port)
        _prepare(env)
        runners = [_runner(env), _runner(env)]
        outputs = [r.communicate(timeout=120) for r in runners]
        assert all(r.returncode == 0 for r in runners), outputs
        counts = [int(out.split()[-1]) for out, _err in outputs]
        assert sum(counts) == len(EVERYONE), counts
        record("reminders sent by each of two runners at once", counts)
        assert inbox.to() == EVERYONE
        rows = _deliveries(tmp_path)
        assert len(rows) == len(EVERYONE) and all(sent for _k, _u, sent in rows)


def test_a_runner_killed_mid_run_loses_and_repeats_nothing(tmp_path: Path) -> None:
    held = 8
    with smtp_server(Inbox(hold_at=held)) as (inbox, port):
        env = _env(tmp_path, port, lease=1)
        _prepare(env)
        first = _runner(env)
        assert inbox.held.wait(timeout=120), first.stderr
        # Killed while its 8th reminder is claimed and half-way through SMTP.
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        inbox.release.set()
        before = inbox.to()
        assert len(before) == held - 1
        rows = _deliveries(tmp_path)
        assert sum(not sent for _k, _u, sent in rows) == 1
        time.sleep(1.5)  # past the lease of the stopped runner's claim
        second = _runner(env)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert int(out.split()[-1]) == len(EVERYONE) - len(before)
        assert inbox.to() == EVERYONE
        again = _runner(env)
        out, err = again.communicate(timeout=120)
        assert out.split()[-1] == "0", err
        assert inbox.to() == EVERYONE


def test_mend_serve_sends_due_reminders_by_itself(tmp_path: Path) -> None:
    with smtp_server() as (inbox, port):
        env = _env(tmp_path, port)
        _prepare(env)
        # As deployed: not in testing mode, so each worker starts its runner.
        env.update(MEND_TESTING="0", MEND_HTTPS="0", MEND_REMINDER_SECONDS="1")
        log = (tmp_path / "serve.log").open("w")
        server = subprocess.Popen(  # noqa: S603  # our own command, fixed arguments
            [sys.executable, "-m", "mend.cli", "serve", "--port", str(free_port())],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while len(inbox.to()) < len(EVERYONE) and time.monotonic() < deadline:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
            time.sleep(2)  # a pass or two more: nothing is sent again
            assert inbox.to() == EVERYONE, (tmp_path / "serve.log").read_text()
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()
