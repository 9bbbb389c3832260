"""What searching private entries costs: 2,000 sealed entries, opened and scanned (#16).

    MEND_TESTING=1 MEND_DATABASE_URL=sqlite:////tmp/mend_bench_search.sqlite3 \
        .venv/bin/python bench/search.py [--entries 2000] [--runs 20]

It makes a fresh database at MEND_DATABASE_URL (SQLite by default, as above; a
PostgreSQL URL works too), writes ENTRIES private journal entries for one person
through Mend's own action (sealed with their data key, padding v2), each about 600
characters of text, plus 200 shared ones, and times mend.journal.models.search for a
word in one entry, a word in none, and a word in every entry: wall time per search
(median and p95 of RUNS) and how much of it is opening the sealed entries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
os.environ.setdefault("MEND_TESTING", "1")
os.environ.setdefault("MEND_DATABASE_URL", "sqlite:////tmp/mend_bench_search.sqlite3")


PASSWORD = "bench passphrase 1"  # noqa: S105  # a throwaway bench database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    url = os.environ["MEND_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from mend.accounts.actions import sign_up
    from mend.couples import actions as couples
    from mend.journal import actions as journal
    from mend.journal.models import JournalEntry, search

    ana, key, _code = sign_up(username="ana", password=PASSWORD, display_name="Ana")
    ben, _bkey, _code = sign_up(username="ben", password=PASSWORD, display_name="Ben")
    space = couples.create_space(ana)
    _invite, code = couples.issue_invite(space, ana)
    couples.join(ben, code)

    filler = (
        "Today we talked about the week, the children, work and the garden. "
        "I felt calmer than last time and I noticed I listened more. "
    ) * 5
    started = time.perf_counter()
    for n in range(args.entries):
        journal.write_entry(
            space, ana, key, title=f"Day {n}", body=f"{filler} marker{n}", share=False
        )
    for n in range(200):
        journal.write_entry(
            space, ana, key, title=f"Shared {n}", body=f"{filler} shared{n}", share=True
        )
    print(
        f"wrote {args.entries} private + 200 shared entries in "
        f"{time.perf_counter() - started:.1f} s ({connection_vendor()})"
    )

    private = list(JournalEntry.objects.mine(ana).filter(is_shared=False))
    t0 = time.perf_counter()
    for entry in private:
        entry.content(key, ana)
    opening = time.perf_counter() - t0
    print(f"opening all {len(private)} sealed entries alone: {opening * 1000:.0f} ms")

    for label, query in (
        ("one hit", f"marker{args.entries // 2}"),
        ("no hit", "lighthouse"),
        ("every entry", "garden"),
    ):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            hits, _locked = search(ana, key, query)
            times.append(time.perf_counter() - t0)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"search {label!r:14} {len(hits):3d} hits: median "
            f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        )


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
