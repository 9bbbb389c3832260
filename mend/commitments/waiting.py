"""What commitments ask of a member now, for home (mend/lib/waiting.py)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mend.accounts.models import User
from mend.commitments.models import (
    MARKS,
    Answer,
    CommitmentWording,
    Goal,
    Question,
    Run,
    today_for,
)
from mend.lib.waiting import PathTotal, WaitingItem


def waiting_for(member: User) -> list[WaitingItem]:
    """Return sent questions not yet answered and changes to affirm: two queries.

    A question still private to its asker is never counted, for either partner.
    """
    items = []
    questions = (
        Question.objects.for_member(member)
        .filter(is_shared=True)
        .annotate(is_answered=Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .filter(is_answered=False)
        .only("code", "author_id", "shared_at", "created_at")
        .order_by("-shared_at")[:50]
    )
    for question in questions:
        mine = question.author_id != member.pk
        items.append(
            WaitingItem(
                kind="commitments",
                title=(
                    _("A question from your partner, to answer")
                    if mine
                    else _("A question you sent")
                ),
                url=reverse("commitments:questions")
                + (f"#answer-{question.code}" if mine else ""),
                at=question.shared_at or question.created_at,
                is_yours=mine,
            )
        )
    changes = (
        CommitmentWording.objects.for_member(member)
        .waiting()
        .filter(commitment__ended_at__isnull=True)
        .select_related("commitment")
        .order_by("-proposed_at")[:50]
    )
    for change in changes:
        mine = change.asks(member)
        items.append(
            WaitingItem(
                kind="commitments",
                title=(
                    _("A change to a commitment, to affirm")
                    if mine
                    else _("A change to a commitment you proposed")
                ),
                url=reverse("commitments:commitment", args=[change.commitment.code]),
                at=change.proposed_at,
                is_yours=mine,
            )
        )
    return items


def path_totals(member: User) -> list[PathTotal]:
    """Return the milestone marks every run reached, and goals done: two queries.

    A new run after a relapse keeps the earlier run's marks, so the total never
    goes down.
    """
    today = today_for(member)
    runs = Run.objects.for_member(member).only("started_on", "ended_on")
    reached = sum(1 for run in runs for mark in MARKS if mark <= run.days(today))
    reached += Goal.objects.for_member(member).filter(done_at__isnull=False).count()
    return [
        PathTotal(
            kind="milestones",
            label=ngettext(
                "%(n)d milestone reached", "%(n)d milestones reached", reached
            )
            % {"n": reached},
            count=reached,
        )
    ]
