"""What agreements ask of a member now, for home (mend/lib/waiting.py)."""

from datetime import datetime, time

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mend.accounts.models import User
from mend.agreements.models import (
    Agreement,
    AgreementVersion,
    CrossingReport,
    RepairRound,
    RoundEntry,
)
from mend.lib.waiting import PathTotal, WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return wordings to affirm or confirm, reports, and reviews due: three queries.

    Each both ways: what asks MEMBER, and what waits on their partner. Titles name
    the kind of thing only; the words stay on the agreement's page.
    """
    items = []
    versions = (
        AgreementVersion.objects.for_member(member)
        .waiting()
        .filter(agreement__retired_at__isnull=True)
        .select_related("agreement")
        .order_by("-proposed_at")[:50]
    )
    for version in versions:
        mine = version.asks(member)
        if version.affirmed_at is None:
            title = (
                _("An agreement wording to affirm")
                if mine
                else _("An agreement wording you proposed")
            )
        else:
            title = (
                _("An affirmed agreement wording to confirm")
                if mine
                else _("An agreement wording you affirmed, to be confirmed")
            )
        items.append(
            WaitingItem(
                kind="agreements",
                title=title,
                url=reverse("agreements:agreement", args=[version.agreement.code]),
                at=version.affirmed_at or version.proposed_at,
                is_yours=mine,
                about=version.agreement.get_category_display(),
            )
        )
    reports = (
        CrossingReport.objects.for_member(member)
        .filter(status__in=[CrossingReport.Status.OPEN, CrossingReport.Status.ANSWERED])
        .order_by("-created_at")[:50]
    )
    for report in reports:
        reporter = report.reporter_id == member.pk
        if report.status == CrossingReport.Status.OPEN:
            mine = not reporter
            title = _("Something your partner shared, to answer with a repair")
            if reporter:
                title = _("Something you shared, for a repair")
        else:
            mine = reporter
            title = _("A repair offered to you, to reply to")
            if not reporter:
                title = _("A repair you offered, for a reply")
        items.append(
            WaitingItem(
                kind="agreements",
                title=title,
                url=reverse("agreements:report", args=[report.code]),
                at=report.created_at,
                is_yours=mine,
            )
        )
    items += _round_steps(member)
    today = timezone.localdate()
    for agreement in Agreement.objects.for_member(member).due(today)[:50]:
        # The review date is a day; it started waiting at that day's start.
        since = datetime.combine(
            agreement.review_on or today, time.min, timezone.get_current_timezone()
        )
        items.append(
            WaitingItem(
                kind="agreements",
                title=_("An agreement to revisit together"),
                url=reverse("agreements:agreement", args=[agreement.code]),
                at=agreement.reopened_at or since,
                is_yours=True,
                about=agreement.get_category_display(),
            )
        )
    return items


def _round_steps(member: User) -> list[WaitingItem]:
    """Return, for each report's newest round of the steps, whose step comes next.

    Two queries (the rounds, their entries). A step is MEMBER's when they haven't
    described their view, when their partner's view waits for their summary, or when
    both understood each other and their plan is still unwritten.
    """
    seen: set[int] = set()
    items = []
    rounds = (
        RepairRound.objects.for_member(member)
        .select_related("report")
        .prefetch_related("entries")
        .order_by("-number", "-created_at")[:50]
    )
    for round_ in rounds:
        if round_.report_id in seen:
            continue
        seen.add(round_.report_id)
        done = round_.written()
        others = {by for by, _step in done if by != member.pk}
        mine_done = {step for by, step in done if by == member.pk}
        plans = [by for by, step in done if step == RoundEntry.Step.PLAN]
        if RoundEntry.Step.VIEW not in mine_done:
            mine = True
        elif RoundEntry.Step.SUMMARY not in mine_done:
            # Their summary follows the partner's view: until then it waits on them.
            mine = any((by, RoundEntry.Step.VIEW) in done for by in others)
        elif RoundEntry.Step.PLAN not in mine_done:
            mine = any((by, RoundEntry.Step.SUMMARY) in done for by in others)
        elif len(plans) < 2:
            mine = False
        else:
            continue
        items.append(
            WaitingItem(
                kind="agreements",
                title=(
                    _("A step of your repair, yours to write")
                    if mine
                    else _("A repair round you are walking together")
                ),
                url=reverse("agreements:report", args=[round_.report.code]),
                at=max((e.at for e in round_.entries.all()), default=round_.created_at),
                is_yours=mine,
            )
        )
    return items


def path_totals(member: User) -> list[PathTotal]:
    """Return agreements in force and repairs completed: two queries.

    Repairs completed are reports whose sharer said they felt heard; a repair that
    led to "talk more" is not counted against anyone, and no one is named.
    """
    agreed = AgreementVersion.objects.filter(
        agreement=OuterRef("pk"), confirmed_at__isnull=False
    )
    in_force = (
        Agreement.objects.for_member(member).current().filter(Exists(agreed)).count()
    )
    repaired = (
        CrossingReport.objects.for_member(member)
        .filter(status=CrossingReport.Status.HEARD)
        .count()
    )
    return [
        PathTotal(
            kind="agreements",
            label=ngettext(
                "%(n)d agreement in force",
                "%(n)d agreements in force",
                in_force,
            )
            % {"n": in_force},
            count=in_force,
        ),
        PathTotal(
            kind="repairs",
            label=ngettext(
                "%(n)d repair completed", "%(n)d repairs completed", repaired
            )
            % {"n": repaired},
            count=repaired,
        ),
    ]
