"""An acknowledged write survives the process being killed at any moment.

SQLite runs with WAL and synchronous=FULL (settings.py): once a commit returns, the
write is in the log on disk. A writer process reports each entry after its commit
and is killed with SIGKILL at a random moment, many times over; afterwards every
reported entry is there and the database passes its integrity check. This tests
Mend's SQLite settings, so it runs on SQLite whatever database the suite uses.
"""

import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from tests.security.figures import record

ROOT = Path(__file__).resolve().parent.parent.parent
WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 30
TIME_LIMIT = 60.0
ACK = re.compile(r"ack ([0-9a-f]{32})\n")


def _pump(stream: IO[str], lines: "queue.Queue[str]") -> None:
    for line in stream:
        lines.put(line)


def _next(lines: "queue.Queue[str]", prefix: str, acks: set[str]) -> str:
    while True:
        line = lines.get(timeout=30)
        if m := ACK.fullmatch(line):
            acks.add(m.group(1))
        # A line cut short by the kill runs into the next one: it never matches ACK.
        elif prefix in line:
            return line


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    env = {**os.environ, "MEND_VAR_DIR": str(tmp_path), "MEND_TESTING": "1"}
    env.pop("MEND_DATABASE_URL", None)
    for args in (
        ["-m", "mend.cli", "migrate", "--verbosity", "0"],
        [str(WRITER), "setup"],
    ):
        subprocess.run(  # noqa: S603  # our own command, fixed arguments
            [sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True
        )
    database = tmp_path / "mend.sqlite3"
    writer = subprocess.Popen(  # noqa: S603  # our own script
        [sys.executable, str(WRITER), "serve"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdin is not None and writer.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(writer.stdout, lines), daemon=True).start()
    rng = random.Random(4)
    acknowledged: set[str] = set()
    rounds = 0
    started = time.monotonic()
    try:
        while rounds < ROUNDS and time.monotonic() - started < TIME_LIMIT:
            writer.stdin.write("go\n")
            writer.stdin.flush()
            pid = int(_next(lines, "child ", acknowledged).split()[-1])
            time.sleep(rng.uniform(0.02, 0.3))
            os.kill(pid, signal.SIGKILL)
            _next(lines, "done", acknowledged)
            rounds += 1
            check = sqlite3.connect(database)
            try:
                assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                stored = {
                    row[0]
                    for row in check.execute("SELECT code FROM journal_journalentry")
                }
            finally:
                check.close()
            missing = acknowledged - stored
            assert not missing, (
                f"round {rounds}: {len(missing)} acknowledged writes lost"
            )
    finally:
        writer.kill()
        writer.wait()
    record("crash safety rounds", rounds)
    record("crash safety acknowledged writes", len(acknowledged))
    assert rounds >= 10
    assert len(acknowledged) >= rounds
