"""What agreements ask of a member now, for home (mend/lib/waiting.py)."""

from datetime import datetime, time

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mend.accounts.models import User
from mend.agreements.models import Agreement, AgreementVersion, CrossingReport
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
