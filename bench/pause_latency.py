"""How fast a pause reaches the partner: Mend under `mend serve --workers 2`.

Usage (from the checkout, PostgreSQL and optionally Redis on 127.0.0.1):
    .venv/bin/python bench/pause_latency.py [--broker postgres|redis] [--quick]

It creates a fresh database, 500 couples and their API tokens (ORM, cheap hashing),
starts Mend, opens 1,000 SSE listeners from a separate client process, sends pause
signals at fixed rates and times each from just before the POST to the partner's
event. Then it measures idle CPU, and runs the same client against a minimal ASGI
relay (bench/floor_app.py) under the same server and broker. It stops by itself and
uses only 127.0.0.1. Not part of the test suite.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
COUPLES = 500
PG = os.environ.get("MEND_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = "redis://127.0.0.1:6379/15"


# ---------------------------------------------------------------- client process


class Listener:
    def __init__(self, couple: int, is_receiver: bool) -> None:
        self.couple = couple
        self.is_receiver = is_receiver
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter


async def open_listener(
    port: int, path: str, token: str, listener: Listener, ready: asyncio.Event
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
    listener.reader, listener.writer = reader, writer
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"listener refused: {head[:80]!r}")
    while True:
        line = await reader.readline()
        if line.startswith(b"data: "):
            break
    ready.set()


async def listen(
    listener: Listener, pending: dict[int, float], got: list[float]
) -> None:
    reader = listener.reader
    while True:
        line = await reader.readline()
        if not line:
            return
        if listener.is_receiver and line.startswith(b"data: "):
            now = time.perf_counter()
            started = pending.pop(listener.couple, None)
            if started is not None:
                got.append(now - started)


class Sender:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, token: str, body: bytes) -> int:
        if self.conn is None:
            self.conn = await asyncio.open_connection(HOST, self.port)
        reader, writer = self.conn
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length:
            await reader.readexactly(length)
        elif b"chunked" in head.lower():
            while True:
                size = int((await reader.readline()).strip(), 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        return status


async def run_rate(
    rate: float,
    seconds: float,
    couples: list[dict[str, Any]],
    senders: list[Sender],
    send_path: Any,
    pending: dict[int, float],
    got: list[float],
    body: bytes,
) -> dict[str, Any]:
    got.clear()
    pending.clear()
    free = asyncio.Queue[Sender]()
    for s in senders:
        free.put_nowait(s)
    total = int(rate * seconds)
    order = list(range(len(couples)))
    random.shuffle(order)
    errors = 0
    sent = 0

    posts: list[float] = []

    async def one(i: int) -> None:
        nonlocal errors
        sender = await free.get()
        try:
            pending[i] = started = time.perf_counter()
            status = await sender.post(
                send_path(couples[i]), couples[i]["a_token"], body
            )
            posts.append(time.perf_counter() - started)
            if status != 201:
                errors += 1
        finally:
            free.put_nowait(sender)

    start = time.perf_counter()
    tasks = []
    for k in range(total):
        at = start + k / rate
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        i = order[k % len(order)]
        if i in pending:  # the previous signal to this couple is still in flight
            i = next(j for j in order if j not in pending)
        tasks.append(asyncio.create_task(one(i)))
        sent += 1
    await asyncio.gather(*tasks)
    achieved = sent / (time.perf_counter() - start)
    deadline = time.perf_counter() + 5
    while pending and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    lost = len(pending)
    ms = sorted(x * 1000 for x in got)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))] if ms else float("nan")

    return {
        "rate": rate,
        "achieved_rate": round(achieved, 1),
        "seconds": seconds,
        "sent": sent,
        "received": len(ms),
        "lost": lost,
        "errors": errors,
        "p50_ms": round(pct(50), 2),
        "p90_ms": round(pct(90), 2),
        "p99_ms": round(pct(99), 2),
        "max_ms": round(ms[-1], 2) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
        # How long the sender waited for the POST's own answer, for comparison.
        "post_p50_ms": round(sorted(posts)[len(posts) // 2] * 1000, 2),
        "post_p99_ms": round(sorted(posts)[int(0.99 * len(posts))] * 1000, 2),
    }


async def client_main(args: argparse.Namespace) -> None:
    couples = json.loads(Path(args.couples).read_text())
    floor = args.target != "mend"
    stream_path = (
        (lambda c: f"/stream?space={c['space']}")
        if floor
        else (lambda c: "/live/stream/")
    )
    send_path = (
        (lambda c: f"/send?space={c['space']}")
        if floor
        else (lambda c: "/api/safety/signals")
    )
    body = json.dumps({"kind": "pause", "minutes": 20}).encode()
    listeners: list[Listener] = []
    opened = []
    for i, c in enumerate(couples):
        for token, is_receiver in ((c["a_token"], False), (c["b_token"], True)):
            listener = Listener(i, is_receiver)
            listeners.append(listener)
            opened.append((listener, token, stream_path(c)))
    ready_events = []
    for start in range(0, len(opened), 100):
        batch = []
        for listener, token, path in opened[start : start + 100]:
            ready = asyncio.Event()
            ready_events.append(ready)
            batch.append(open_listener(args.port, path, token, listener, ready))
        await asyncio.gather(*batch)
    pending: dict[int, float] = {}
    got: list[float] = []
    listen_tasks = [asyncio.create_task(listen(lst, pending, got)) for lst in listeners]
    print(json.dumps({"event": "connected", "listeners": len(listeners)}), flush=True)
    senders = [Sender(args.port) for _ in range(args.senders)]
    # Warm up: open sender connections, touch every couple once at a low rate.
    await run_rate(50, 2, couples, senders, send_path, pending, got, body)
    results: dict[str, Any] = {"listeners": len(listeners)}
    results["steady"] = await run_rate(
        args.rate, args.seconds, couples, senders, send_path, pending, got, body
    )
    print(json.dumps({"event": "steady", **results["steady"]}), flush=True)
    ramp = []
    for rate in args.ramp:
        r = await run_rate(
            rate, args.ramp_seconds, couples, senders, send_path, pending, got, body
        )
        ramp.append(r)
        print(json.dumps({"event": "ramp", **r}), flush=True)
        if r["p99_ms"] > 250 or r["lost"] or r["errors"]:
            break
    results["ramp"] = ramp
    if args.idle:
        print(json.dumps({"event": "idle_start"}), flush=True)
        await asyncio.sleep(args.idle)
        print(json.dumps({"event": "idle_end"}), flush=True)
    alive = sum(1 for t in listen_tasks if not t.done())
    results["listeners_still_open"] = alive
    print(json.dumps({"event": "done", **results}), flush=True)
    for lst in listeners:
        lst.writer.close()


# ------------------------------------------------------------ orchestrator


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def fresh_database(name: str) -> str:
    import psycopg
    from psycopg import sql

    base = PG.rpartition("/")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{base}/{name}"


def make_couples(env: dict[str, str]) -> list[dict[str, Any]]:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mend.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from mend.accounts.models import ApiToken, User, hash_token
    from mend.couples.models import Membership, Space

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"bench{i}", display_name=f"B{i}", password="!")  # noqa: S106  # unusable: no sign-in
                for i in range(2 * COUPLES)
            ]
        )
        spaces = Space.objects.bulk_create([Space() for _ in range(COUPLES)])
        Membership.objects.bulk_create(
            [Membership(space=spaces[i // 2], user=u) for i, u in enumerate(users)]
        )
        secrets_ = ["mend_" + secrets.token_urlsafe(32) for _ in users]
        ApiToken.objects.bulk_create(
            [
                ApiToken(user=u, name="bench", token_hash=hash_token(s))
                for u, s in zip(users, secrets_, strict=True)
            ]
        )
    return [
        {
            "space": spaces[i].pk,
            "a_token": secrets_[2 * i],
            "b_token": secrets_[2 * i + 1],
        }
        for i in range(COUPLES)
    ]


def wait_for_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not start")


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        pids += process_tree(int(child))
    return pids


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def run_client(
    port: int, couples_file: str, args: argparse.Namespace, server_pid: int, idle: int
) -> dict[str, Any]:
    cmd = [
        PY,
        __file__,
        "--client",
        "--port",
        str(port),
        "--couples",
        couples_file,
        "--rate",
        str(args.rate),
        "--seconds",
        str(args.seconds),
        "--ramp-seconds",
        str(args.ramp_seconds),
        "--senders",
        str(args.senders),
        "--idle",
        str(idle),
        "--ramp",
        *[str(r) for r in args.ramp],
    ]
    cmd += ["--target", args.target]
    client = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    result: dict[str, Any] = {}
    idle_start = (0.0, 0)
    assert client.stdout is not None
    for line in client.stdout:
        event = json.loads(line)
        print(f"  {args.target}: {line.strip()}", flush=True)
        if event["event"] == "idle_start":
            idle_start = (time.monotonic(), cpu_ticks(process_tree(server_pid)))
        elif event["event"] == "idle_end":
            used = cpu_ticks(process_tree(server_pid)) - idle_start[1]
            elapsed = time.monotonic() - idle_start[0]
            result["idle_cpu_percent_of_one_core"] = round(
                100 * used / os.sysconf("SC_CLK_TCK") / elapsed, 2
            )
        elif event["event"] == "done":
            result.update(event)
    client.wait(60)
    return result


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and every worker it started, even if it does not go quietly."""
    tree = process_tree(proc.pid) if proc.poll() is None else [proc.pid]
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for pid in tree[1:]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def orchestrate(args: argparse.Namespace) -> None:
    db = fresh_database("mend_bench")
    if args.async_commit:
        import psycopg

        # An experiment only: what the durable commit costs (see README.md).
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("ALTER DATABASE mend_bench SET synchronous_commit = off")
    var = Path(tempfile.mkdtemp(prefix="mend-bench-"))
    env = {
        "MEND_DATABASE_URL": db,
        "MEND_VAR_DIR": str(var),
        "MEND_HTTPS": "0",
        "MEND_ALLOWED_HOSTS": HOST,
        "MEND_WORKERS": "2",
        # Each benchmark couple sends far faster than a person may (#10).
        "MEND_SIGNALS_PER_MINUTE": "1000000",
    }
    if args.broker == "redis":
        env["MEND_REDIS_URL"] = REDIS
    full_env = dict(os.environ) | env
    subprocess.run(
        [PY, "-m", "mend.cli", "migrate", "-v", "0"],
        env=full_env | {"MEND_TESTING": "1"},
        check=True,
        cwd=ROOT,
    )
    print("creating 500 couples ...", flush=True)
    couples = make_couples(env | {"MEND_TESTING": "1"})
    couples_file = var / "couples.json"
    couples_file.write_text(json.dumps(couples))
    report: dict[str, Any] = {"broker": args.broker}

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
        env=full_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, mend)
        time.sleep(2)
        args.target = "mend"
        report["mend"] = run_client(port, str(couples_file), args, mend.pid, args.idle)
    finally:
        stop(mend)

    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    floor_env = full_env | {"FLOOR_DSN": make_conninfo(**conninfo_to_dict(db))}
    for target, durable in (("floor", "0"), ("durable_floor", "1")):
        port = free_port()
        floor = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "granian"),
                "--interface",
                "asginl",
                "--workers",
                "2",
                "--host",
                HOST,
                "--port",
                str(port),
                "--backpressure",
                "4096",
                "--no-access-log",
                "bench.floor_app:app",
            ],
            env=floor_env | {"FLOOR_DURABLE": durable},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, floor)
            time.sleep(2)
            args.target = target
            report[target] = run_client(port, str(couples_file), args, floor.pid, 0)
        finally:
            stop(floor)
    log.close()
    m, f = report["mend"]["steady"], report["floor"]["steady"]
    report["p99_ratio_to_floor"] = round(m["p99_ms"] / f["p99_ms"], 2)
    d = report["durable_floor"]["steady"]
    report["p99_ratio_to_durable_floor"] = round(m["p99_ms"] / d["p99_ms"], 2)
    ok = [
        r["rate"]
        for r in report["mend"]["ramp"]
        if r["p99_ms"] < 100 and not r["lost"] and not r["errors"]
    ]
    report["highest_rate_p99_under_100ms"] = max(ok, default=None)
    print(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--target", default="mend", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int)
    parser.add_argument("--couples")
    parser.add_argument("--broker", choices=["postgres", "redis"], default="postgres")
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, nargs="*", default=[100, 200, 300, 400])
    parser.add_argument("--ramp-seconds", type=float, default=15)
    parser.add_argument("--senders", type=int, default=32)
    parser.add_argument("--idle", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="10 s phases, for a try")
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="experiment: turn off synchronous_commit for the bench database",
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.ramp_seconds, args.idle = 10, 5, 5
    if args.client:
        asyncio.run(client_main(args))
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
