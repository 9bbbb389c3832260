"""How fast a pause reaches the partner while 16 clients hammer sign-in.

Usage (from the checkout, PostgreSQL on 127.0.0.1):
    .venv/bin/python bench/signin_load.py [--seconds 40] [--hammers 16]

It starts `mend serve --workers 2` (production key derivation), signs up one account
per hammering client through the API, opens SSE listeners for 50 couples, and sends
pauses at 20/s: first with nothing else going on, then while every hammering client
signs in over and over (POST /api/accounts/tokens, the right password: a full
Argon2id check each). It reports the pause's p50/p99 in both phases and what the
sign-ins got back (201 signed in, 503 busy). It stops by itself; 127.0.0.1 only.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pause_latency import (  # after the path is set
    HOST,
    PY,
    ROOT,
    Listener,
    Sender,
    free_port,
    fresh_database,
    listen,
    make_couples,
    open_listener,
    run_rate,
    stop,
    wait_for_port,
)

PASSWORD = "a long enough bench passphrase"  # noqa: S105  # a throwaway bench account


async def hammer(
    port: int, username: str, until: float, counts: dict[str, int]
) -> None:
    sender = Sender(port)
    body = json.dumps({"username": username, "password": PASSWORD, "name": "b"})
    while time.perf_counter() < until:
        try:
            status = await sender.post("/api/accounts/tokens", "-", body.encode())
        except (ConnectionError, asyncio.IncompleteReadError):
            sender.conn = None
            status = 0
        counts[str(status)] = counts.get(str(status), 0) + 1


async def measure(args: argparse.Namespace, couples: list[dict[str, Any]]) -> None:
    port = args.port
    listeners: list[Listener] = []
    pending: dict[int, float] = {}
    got: list[float] = []
    for i, couple in enumerate(couples):
        for token, is_receiver in (
            (couple["a_token"], False),
            (couple["b_token"], True),
        ):
            listener = Listener(i, is_receiver)
            ready = asyncio.Event()
            await open_listener(port, "/live/stream/", token, listener, ready)
            listeners.append(listener)
    tasks = [asyncio.create_task(listen(x, pending, got)) for x in listeners]
    senders = [Sender(port) for _ in range(4)]
    body = json.dumps({"kind": "pause", "minutes": 20}).encode()

    def path(_couple: dict[str, Any]) -> str:
        return "/api/safety/signals"

    async def phase(name: str) -> dict[str, Any]:
        load = os.getloadavg()[0]
        result = await run_rate(
            args.rate, args.seconds, couples, senders, path, pending, got, body
        )
        result["load_average_at_start"] = round(load, 2)
        print(json.dumps({"phase": name} | result), flush=True)
        return result

    await phase("idle")
    counts: dict[str, int] = {}
    until = time.perf_counter() + args.seconds + 5
    hammers = [
        asyncio.create_task(hammer(port, f"hammer{i}", until, counts))
        for i in range(args.hammers)
    ]
    await asyncio.sleep(3)  # let the queue for sign-ins fill up first
    await phase(f"{args.hammers} clients signing in")
    await asyncio.gather(*hammers)
    print(json.dumps({"phase": "sign-ins", "statuses": counts}), flush=True)
    for t in tasks:
        t.cancel()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--hammers", type=int, default=16)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--couples", default="")
    parser.add_argument("--client", action="store_true")
    args = parser.parse_args()
    if args.client:
        asyncio.run(measure(args, json.loads(Path(args.couples).read_text())))
        return
    db = fresh_database("mend_bench_signin")
    var = Path(tempfile.mkdtemp(prefix="mend-bench-"))
    env = {
        "MEND_DATABASE_URL": db,
        "MEND_VAR_DIR": str(var),
        "MEND_HTTPS": "0",
        "MEND_ALLOWED_HOSTS": HOST,
        # The bench measures how fast a pause arrives, not the pace limit (5 a minute).
        "MEND_SIGNALS_PER_MINUTE": "1000000",
    }
    full_env = dict(os.environ) | env
    subprocess.run(
        [PY, "-m", "mend.cli", "migrate", "-v", "0"],
        env=full_env | {"MEND_TESTING": "1"},
        check=True,
        cwd=ROOT,
    )
    couples = make_couples(env | {"MEND_TESTING": "1"})[:50]
    couples_file = var / "couples.json"
    couples_file.write_text(json.dumps(couples))
    port = free_port()
    log = (var / "mend.log").open("w")
    mend = subprocess.Popen(
        [
            PY,
            "-m",
            "mend.cli",
            "serve",
            "--workers",
            "2",
            "--port",
            str(port),
            "--no-migrate",
        ],
        env={k: v for k, v in full_env.items() if k != "MEND_TESTING"},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, mend)
        print("signing up the hammering accounts ...", flush=True)
        signup_script = (
            "import json, urllib.request, sys\n"
            "for i in range(int(sys.argv[2])):\n"
            "    body = json.dumps({'username': f'hammer{i}', 'password': sys.argv[3],"
            " 'display_name': 'H'}).encode()\n"
            "    req = urllib.request.Request(f'http://127.0.0.1:{sys.argv[1]}"
            "/api/accounts/signup', body, {'Content-Type': 'application/json'})\n"
            "    urllib.request.urlopen(req, timeout=60).read()\n"
        )
        subprocess.run(
            [PY, "-c", signup_script, str(port), str(args.hammers), PASSWORD],
            check=True,
        )
        time.sleep(2)
        subprocess.run(
            [
                PY,
                __file__,
                "--client",
                "--port",
                str(port),
                "--couples",
                str(couples_file),
                "--seconds",
                str(args.seconds),
                "--rate",
                str(args.rate),
                "--hammers",
                str(args.hammers),
            ],
            check=True,
            cwd=ROOT,
        )
    finally:
        stop(mend)


if __name__ == "__main__":
    main()
