"""The progress page's figures and charts, worked out on the server as SVG shapes.

Rule: progress is shown as trends of what the couple did together, week by week.
Never a single score of a person, never one partner ranked against the other:
commitments are counted across both partners' commitments, as the maker saw them
and as the other saw them.
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mend.accounts.models import User
from mend.checkins import models as checkins
from mend.commitments.models import (
    Answer,
    Disclosure,
    Mark,
    Milestone,
    Question,
    today_for,
)

WEEKS = 12
# Milestones shown on the page, newest first; the rest are on the milestones page.
MAX_MILESTONES = 10
WIDTH = 320
HEIGHT = 120
TOP = 8
BOTTOM = 20


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    bars: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - BOTTOM


def week_starts(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    """Return the Mondays of the last WEEKS weeks, oldest first, this week last."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _week_of(day: dt.date, starts: list[dt.date]) -> int | None:
    index = (day - starts[0]).days // 7
    return index if 0 <= index < len(starts) else None


def bar_chart(
    slug: str,
    title: str,
    summary: str,
    starts: list[dt.date],
    series: list[tuple[str, str, list[float | None]]],
    unit: str = "",
) -> Chart:
    """Return a grouped bar chart of SERIES (label, css class, one value per week)."""
    chart = Chart(slug=slug, title=title, summary=summary)
    chart.legend = [{"label": label, "css": css} for label, css, _v in series]
    top = max((v or 0 for _l, _c, values in series for v in values), default=0) or 1
    slot = WIDTH / len(starts)
    bar = max(2.0, (slot - 4) / len(series))
    usable = HEIGHT - TOP - BOTTOM
    for week, start in enumerate(starts):
        for n, (label, css, values) in enumerate(series):
            value = values[week]
            if value is None:
                continue
            height = round(usable * value / top, 1)
            chart.bars.append(
                {
                    "x": round(week * slot + 2 + n * bar, 1),
                    "y": round(chart.baseline - height, 1),
                    "width": round(bar - 1, 1),
                    "height": height,
                    "css": css,
                    "label": _("Week of %(day)s, %(series)s: %(value)s%(unit)s")
                    % {
                        "day": date_format(start, "M j"),
                        "series": label,
                        "value": _number(value),
                        "unit": unit,
                    },
                }
            )
        if week % 3 == 0:
            chart.ticks.append(
                {"x": round(week * slot + 2, 1), "label": date_format(start, "M j")}
            )
    return chart


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def human_delay(hours: float) -> str:
    if hours < 48:
        n = round(hours)
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    n = round(hours / 24)
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def commitments_chart(user: User, starts: list[dt.date]) -> Chart:
    kept = [0.0] * len(starts)
    confirmed = [0.0] * len(starts)
    differently = [0.0] * len(starts)
    marked = 0
    rows = (
        Mark.objects.for_member(user)
        .filter(on__gte=starts[0])
        .values_list("on", "status", "partner_view")
    )
    for on, status, view in rows:
        week = _week_of(on, starts)
        if week is None:
            continue
        marked += 1
        if status == Mark.Status.KEPT:
            kept[week] += 1
            if view == Mark.View.CONFIRMED:
                confirmed[week] += 1
        if view == Mark.View.DIFFERENTLY:
            differently[week] += 1
    summary = " ".join(
        (
            ngettext(
                "Over the last %(weeks)d weeks, %(marked)d time was marked.",
                "Over the last %(weeks)d weeks, %(marked)d times were marked.",
                marked,
            )
            % {"weeks": len(starts), "marked": marked},
            _(
                "Whoever made the commitment marked %(kept)d kept; the other "
                "confirmed %(confirmed)d of those, and saw %(differently)d "
                "differently. This week: %(now_kept)d kept, %(now_confirmed)d "
                "confirmed."
            )
            % {
                "kept": int(sum(kept)),
                "confirmed": int(sum(confirmed)),
                "differently": int(sum(differently)),
                "now_kept": int(kept[-1]),
                "now_confirmed": int(confirmed[-1]),
            },
        )
    )
    return bar_chart(
        "commitments",
        _("Commitments kept, as each of you saw it"),
        summary,
        starts,
        [
            (_("kept, as its maker saw it"), "series-a", list(kept)),
            (_("confirmed by the other"), "series-b", list(confirmed)),
            (_("seen differently"), "series-c", list(differently)),
        ],
    )


def disclosure_chart(user: User, starts: list[dt.date]) -> Chart:
    zone = user.tzinfo
    since = dt.datetime.combine(starts[0], dt.time(), tzinfo=zone)
    delays: list[list[float]] = [[] for _s in starts]
    rows = (
        Disclosure.objects.for_member(user)
        .filter(told_at__gte=since)
        .values_list("told_at", "happened_at")
    )
    for told_at, happened_at in rows:
        week = _week_of(timezone.localdate(told_at, zone), starts)
        if week is not None:
            delays[week].append((told_at - happened_at).total_seconds() / 3600)
    medians: list[float | None] = [
        round(statistics.median(d), 1) if d else None for d in delays
    ]
    half = len(starts) // 2
    earlier = [x for d in delays[:half] for x in d]
    later = [x for d in delays[half:] for x in d]
    if not earlier and not later:
        summary = _("No disclosures in the last %(weeks)d weeks.") % {
            "weeks": len(starts)
        }
    else:
        summary = ngettext(
            "%(n)d disclosure in the last %(weeks)d weeks. The middle time between "
            "something happening and it being told: %(earlier)s in the first six "
            "weeks, %(later)s in the last six.",
            "%(n)d disclosures in the last %(weeks)d weeks. The middle time between "
            "something happening and it being told: %(earlier)s in the first six "
            "weeks, %(later)s in the last six.",
            len(earlier) + len(later),
        ) % {
            "n": len(earlier) + len(later),
            "weeks": len(starts),
            "earlier": human_delay(statistics.median(earlier))
            if earlier
            else _("none told"),
            "later": human_delay(statistics.median(later)) if later else _("none told"),
        }
    return bar_chart(
        "disclosures",
        _("Time from something happening to it being told"),
        summary,
        starts,
        [(_("middle time, in hours"), "series-a", medians)],
        unit=" h",
    )


def questions_chart(user: User, starts: list[dt.date]) -> Chart:
    zone = user.tzinfo
    since = dt.datetime.combine(starts[0], dt.time(), tzinfo=zone)
    sent = [0.0] * len(starts)
    answered = [0.0] * len(starts)
    for at in (
        Question.objects.for_member(user)
        .filter(is_shared=True, shared_at__gte=since)
        .values_list("shared_at", flat=True)
    ):
        week = _week_of(timezone.localdate(at, zone), starts)
        if week is not None:
            sent[week] += 1
    for at in (
        Answer.objects.for_member(user)
        .filter(number=1, created_at__gte=since)
        .values_list("created_at", flat=True)
    ):
        week = _week_of(timezone.localdate(at, zone), starts)
        if week is not None:
            answered[week] += 1
    summary = ngettext(
        "In the last %(weeks)d weeks, %(sent)d question was sent and %(answered)d "
        "answered (in writing, or set aside to talk about together).",
        "In the last %(weeks)d weeks, %(sent)d questions were sent and %(answered)d "
        "answered (in writing, or set aside to talk about together).",
        int(sum(sent)),
    ) % {"weeks": len(starts), "sent": int(sum(sent)), "answered": int(sum(answered))}
    return bar_chart(
        "questions",
        _("Questions asked and answered"),
        summary,
        starts,
        [
            (_("sent"), "series-a", list(sent)),
            (_("answered"), "series-b", list(answered)),
        ],
    )


def milestone_rows(user: User, today: dt.date) -> list[dict[str, Any]]:
    """Return each milestone's runs as bars, with a sentence for screen readers."""
    rows = []
    milestones = list(
        Milestone.objects.for_member(user)
        .with_runs()
        .order_by("-created_at")[:MAX_MILESTONES]
    )
    for milestone in milestones:
        runs = milestone.runs_in_order()
        total = milestone.total_days(today)
        longest = max(milestone.longest_days(today), 1)
        current = milestone.current_run()
        bars = []
        x = 0.0
        for run in runs:
            width = round(WIDTH * run.days(today) / max(total, 1), 1)
            bars.append(
                {
                    "x": x,
                    "width": max(width - 2, 1),
                    "css": "series-a" if run is current else "series-b",
                    "label": _("From %(start)s: %(n)d days")
                    % {
                        "start": date_format(run.started_on, "DATE_FORMAT"),
                        "n": run.days(today),
                    },
                }
            )
            x = round(x + width, 1)
        summary = ngettext(
            "%(name)s: %(total)d days in all, in %(runs)d run; the longest run "
            "%(longest)d days; this run %(current)d days so far.",
            "%(name)s: %(total)d days in all, over %(runs)d runs; the longest run "
            "%(longest)d days; this run %(current)d days so far.",
            len(runs),
        ) % {
            "name": milestone.name,
            "total": total,
            "runs": len(runs),
            "longest": milestone.longest_days(today),
            "current": current.days(today) if current else 0,
        }
        rows.append(
            {"milestone": milestone, "bars": bars, "summary": summary, "max": longest}
        )
    return rows


SERIES = ("series-a", "series-b")


def checkin_charts(user: User, key: bytes | None, starts: list[dt.date]) -> list[Chart]:
    """One chart per 0-10 check-in question (at most three): each person's weekly
    average of their own answers, as USER may read them (a partner's only once
    revealed). A trend of how each felt, never a score of one by the other."""
    rows, _left_out = checkins.trend_for(user, key, len(starts))
    by_prompt: dict[str, dict[str, dict[dt.date, float]]] = {}
    for row in rows:
        people = by_prompt.setdefault(row["prompt"], {})
        people.setdefault(row["person"], {})[row["week_of"]] = row["average"]
    charts: list[Chart] = []
    for prompt, people in list(by_prompt.items())[:3]:
        series = [
            (person, SERIES[n % len(SERIES)], [weeks.get(s) for s in starts])
            for n, (person, weeks) in enumerate(sorted(people.items()))
        ]
        latest = ", ".join(
            _("%(person)s %(value)s") % {"person": person, "value": _number(v)}
            for person, weeks in sorted(people.items())
            for v in [weeks[max(weeks)]]
        )
        charts.append(
            bar_chart(
                f"checkin-{len(charts)}",
                _("Check-ins: %(question)s (0 to 10)") % {"question": prompt},
                _(
                    "Each person's weekly average of their own answers. Latest: %(latest)s."
                )
                % {"latest": latest},
                starts,
                series,
            )
        )
    return charts


def progress_for(user: User, key: bytes | None = None) -> dict[str, Any]:
    """Return the progress page's charts for USER's couple (eight queries)."""
    today = today_for(user)
    starts = week_starts(today)
    return {
        "charts": [
            commitments_chart(user, starts),
            disclosure_chart(user, starts),
            questions_chart(user, starts),
            *checkin_charts(user, key, starts),
        ],
        "milestones": milestone_rows(user, today),
        "width": WIDTH,
        "weeks": len(starts),
    }
