"""The private coach against a labelled set of sentences (#15).

Reads bench/coach_sentences.tsv (label 1 = blame or contempt, 0 = not; a kind for
the report), runs mend.lib.coach.check on each, and prints precision, recall and F1
of blame detection, the misses and false nudges, and the time per message (p50,
p99, max) over several passes. See bench/README.md.

    .venv/bin/python bench/coach.py [--passes 50] [--show]
"""

import argparse
import csv
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=50)
    parser.add_argument("--show", action="store_true", help="list every mistake")
    parser.add_argument(
        "--set",
        default="coach_sentences.tsv",
        help="coach_sentences.tsv (written with the rules) or coach_heldout.tsv",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
    os.environ.setdefault("MEND_TESTING", "1")
    import django

    django.setup()
    from mend.lib.coach import check

    with (HERE / args.set).open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    counts: Counter[str] = Counter()
    wrong: list[tuple[str, str, str]] = []
    by_kind: Counter[tuple[str, bool]] = Counter()
    for row in rows:
        truth = row["label"] == "1"
        said = check(row["sentence"]).is_blame
        counts[("t" if said == truth else "f") + ("p" if said else "n")] += 1
        by_kind[(row["kind"], said == truth)] += 1
        if said != truth:
            wrong.append(
                ("false nudge" if said else "missed", row["kind"], row["sentence"])
            )
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    times = []
    for _ in range(args.passes):
        for row in rows:
            start = time.perf_counter()
            check(row["sentence"])
            times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    blame = sum(r["label"] == "1" for r in rows)
    print(f"sentences: {len(rows)} ({blame} blame, {len(rows) - blame} not)")
    print(f"tp {tp}  fp {fp}  fn {fn}  tn {counts['tn']}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(
        f"time per message over {len(times)} checks: "
        f"p50 {statistics.median(times) * 1e3:.3f} ms  p99 {p99 * 1e3:.3f} ms  "
        f"max {times[-1] * 1e3:.3f} ms"
    )
    kinds = sorted({k for k, _ok in by_kind})
    print(
        "right by kind: "
        + ", ".join(
            f"{k} {by_kind[(k, True)]}/{by_kind[(k, True)] + by_kind[(k, False)]}"
            for k in kinds
        )
    )
    if args.show:
        for what, kind, sentence in wrong:
            print(f"  {what:11} [{kind}] {sentence}")


if __name__ == "__main__":
    main()
