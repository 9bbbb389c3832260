"""What a counselor may read of one couple: in-scope shared words, and never more.

Rule: every query here starts from an Admission got through
Admission.objects.serving(counselor) (the counselor's scoping helper) and filters by
that admission's space and its scopes. Private entries are read only where their
author shared them (is_shared, shared_content): a sealed entry is never opened here,
and no key is ever asked for. The yes / no / maybe inventory has no scope and is
never read. Every item shown is logged in the couple's access log, role counselor.
Conversation records (and witnessing one live) need the conversations scope: a
witness reads the same record the partners see, and nothing of it is sealed.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from mend.agreements.models import Agreement, AgreementEvent, CrossingReport
from mend.checkins.models import Answer as CheckInAnswer
from mend.commitments.models import (
    Commitment,
    Goal,
    Mark,
    Milestone,
    Question,
    Run,
    Slip,
)
from mend.conversations.models import CONVERSATION_KIND, Conversation
from mend.counselor.models import Admission, AdmissionQuerySet, Scope
from mend.journal.models import JournalEntry
from mend.privacy.models import AccessLog, record_views

COUNSELOR = AccessLog.Role.COUNSELOR
LIMIT = 50


def _count(qs: Any, when: str = "created_at") -> Coalesce:
    """Return a subquery counting QS's rows of the admission's couple since its
    last session: one column of the home's single query, whatever the couples."""
    counted = (
        qs.filter(space=OuterRef("space"), **{f"{when}__gt": OuterRef("since_at")})
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class Change:
    label: str
    count: int


@dataclass
class CoupleRow:
    admission: Admission
    names: str
    changes: list[Change] = field(default_factory=list)

    @property
    def news(self) -> list[Change]:
        return [c for c in self.changes if c.count]


def home_rows(qs: AdmissionQuerySet, today: dt.date) -> list[CoupleRow]:
    """Return each couple served with what changed since the last session, in scope.

    One query for the couples and their counts, three prefetches: constant however
    many couples (tests/test_performance.py grows them tenfold).
    """
    since = Coalesce("last_session_at", "admitted_at")
    due = Agreement.objects.filter(retired_at__isnull=True).filter(
        Q(review_on__lte=today) | Q(reopened_at__isnull=False)
    )
    due_count = Coalesce(
        Subquery(
            due.filter(space=OuterRef("space"))
            .order_by()
            .values("space")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    answered = Exists(
        Question.objects.filter(pk=OuterRef("pk")).filter(answers__isnull=False)
    )
    rows = (
        qs.annotate(since_at=since)
        .annotate(
            new_reports=_count(CrossingReport.objects.all()),
            agreements_due=due_count,
            new_slips=_count(Slip.objects.filter(is_shared=True), "shared_at"),
            new_milestones=_count(Run.objects.all(), "started_on"),
            questions_waiting=Coalesce(
                Subquery(
                    Question.objects.filter(space=OuterRef("space"), is_shared=True)
                    .exclude(answered)
                    .order_by()
                    .values("space")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            assignments_done=_count(
                Goal.objects.filter(assigned_by__isnull=False), "done_at"
            ),
            conversations_held=_count(Conversation.objects.all(), "ended_at"),
        )
        .order_by("space__name", "pk")
    )
    out = []
    for a in rows:
        on = a.scopes_on()
        changes = []
        if Scope.REPORTS in on:
            changes.append(Change(_("new reports"), a.new_reports))  # type: ignore[attr-defined]  # annotated
        if Scope.AGREEMENTS in on:
            changes.append(Change(_("agreements due for review"), a.agreements_due))  # type: ignore[attr-defined]  # annotated
        if Scope.COMMITMENTS in on:
            changes += [
                Change(_("slips shared"), a.new_slips),  # type: ignore[attr-defined]  # annotated
                Change(_("milestone runs started"), a.new_milestones),  # type: ignore[attr-defined]  # annotated
                Change(_("questions waiting for an answer"), a.questions_waiting),  # type: ignore[attr-defined]  # annotated
                Change(_("tasks done"), a.assignments_done),  # type: ignore[attr-defined]  # annotated
            ]
        if Scope.CONVERSATIONS in on:
            changes.append(Change(_("conversations held"), a.conversations_held))  # type: ignore[attr-defined]  # annotated
        names = " & ".join(str(p) for p in a.space.partners())
        out.append(CoupleRow(admission=a, names=names, changes=changes))
    return out


def _log(
    admission: Admission, items: list[tuple[Any, int | None]], kind: StrOrPromise
) -> None:
    record_views(
        admission.counselor,
        [(admission.space_id, author, obj.code) for obj, author in items],
        kind,
        role=COUNSELOR,
    )


def couple_view(admission: Admission, since: Any = None) -> dict[str, Any]:
    """Return the in-scope content of ADMISSION's couple (changed after SINCE, if
    given), logging each item shown as a counselor view."""
    on = admission.scopes_on()
    space_id = admission.space_id
    today = timezone.localdate(timezone.now(), admission.counselor.tzinfo)
    out: dict[str, Any] = {"scopes": on, "today": today}

    def after(qs: Any, when: str) -> Any:
        return qs.filter(**{f"{when}__gt": since}) if since is not None else qs

    if Scope.AGREEMENTS in on:
        agreements = list(
            Agreement.objects.filter(space_id=space_id)
            .current()
            .with_live_versions()
            .order_by("created_at")[:LIMIT]
        )
        events = list(
            after(
                AgreementEvent.objects.filter(space_id=space_id).select_related(
                    "agreement", "by"
                ),
                "at",
            ).order_by("-at")[:LIMIT]
        )
        out["agreements"] = [a for a in agreements if a.active_version() is not None]
        out["agreement_events"] = events
        _log(
            admission,
            [(a, a.created_by_id) for a in out["agreements"]],
            gettext_lazy("agreement"),
        )
    if Scope.REPORTS in on:
        reports = list(
            after(CrossingReport.objects.filter(space_id=space_id), "created_at")
            .select_related("agreement", "reporter", "repair", "repair__by")
            .order_by("-created_at")[:LIMIT]
        )
        out["reports"] = reports
        _log(admission, [(r, r.reporter_id) for r in reports], gettext_lazy("report"))
    if Scope.CHECKINS in on:
        # Both answers to one occurrence shared: what each partner sees of the other.
        both = Exists(
            CheckInAnswer.objects.filter(
                space=OuterRef("space"),
                check_in=OuterRef("check_in"),
                occurs_at=OuterRef("occurs_at"),
                is_shared=True,
                is_deleted=False,
            ).exclude(author=OuterRef("author"))
        )
        answers = list(
            after(
                CheckInAnswer.objects.filter(
                    space_id=space_id, is_shared=True, is_deleted=False
                ).filter(both | Q(is_shown_early=True)),
                "shared_at",
            )
            .select_related("author", "check_in")
            .order_by("-occurs_at")[:LIMIT]
        )
        out["checkin_answers"] = [(a, dict(a.shared_content or {})) for a in answers]
        _log(
            admission,
            [(a, a.author_id) for a in answers],
            gettext_lazy("check-in answer"),
        )
    if Scope.COMMITMENTS in on:
        commitments = list(
            Commitment.objects.filter(space_id=space_id)
            .active()
            .select_related("made_by")
            .annotate(
                kept=Count("marks", filter=Q(marks__status=Mark.Status.KEPT)),
                missed=Count("marks", filter=Q(marks__status=Mark.Status.MISSED)),
            )
            .order_by("created_at")[:LIMIT]
        )
        milestones = list(
            Milestone.objects.filter(space_id=space_id)
            .with_runs()
            .order_by("-created_at")[:LIMIT]
        )
        goals = list(
            Goal.objects.filter(space_id=space_id)
            .select_related("created_by", "assignee", "done_by")
            .order_by("done_at", "due_on", "pk")[:LIMIT]
        )
        slips = list(
            after(Slip.objects.filter(space_id=space_id, is_shared=True), "shared_at")
            .select_related("author")
            .order_by("-on")[:LIMIT]
        )
        out["commitments"] = commitments
        out["milestones"] = [
            {
                "milestone": m,
                "current_days": m.in_unit(m.current_days(today)),
                "total": m.in_unit(m.total_days(today)),
            }
            for m in milestones
        ]
        out["goals"] = goals
        out["slips"] = [(s, dict(s.shared_content or {})) for s in slips]
        _log(
            admission,
            [(c, c.made_by_id) for c in commitments],
            gettext_lazy("commitment"),
        )
        _log(admission, [(s, s.author_id) for s in slips], gettext_lazy("slip"))
    if Scope.CONVERSATIONS in on:
        held = Conversation.objects.filter(space_id=space_id)
        if since is not None:
            held = held.filter(
                Q(created_at__gt=since)
                | Q(started_at__gt=since)
                | Q(ended_at__gt=since)
            )
        conversations = list(held.with_record().order_by("-created_at", "-pk")[:LIMIT])
        out["conversations"] = conversations
        _log(
            admission,
            [(c, c.proposed_by_id) for c in conversations],
            CONVERSATION_KIND,
        )
    if Scope.JOURNAL in on:
        entries = list(
            after(
                JournalEntry.objects.filter(
                    space_id=space_id, is_shared=True, shared_content__isnull=False
                ),
                "shared_at",
            )
            .select_related("author")
            .order_by("-shared_at")[:LIMIT]
        )
        out["journal"] = [(e, dict(e.shared_content or {})) for e in entries]
        _log(
            admission,
            [(e, e.author_id) for e in entries],
            gettext_lazy("journal entry"),
        )
    return out


def _witnessable(admission: Admission, code: Any) -> Any:
    if Scope.CONVERSATIONS not in admission.scopes_on():
        return Conversation.objects.none()
    return Conversation.objects.filter(space_id=admission.space_id, code=code)


def witnessed(admission: Admission, code: Any) -> Conversation | None:
    """Return the couple's conversation CODE for its counselor to witness, or None.

    Only while both partners let the counselor see conversation records; the view
    is logged like every counselor view.
    """
    conversation: Conversation | None = (
        _witnessable(admission, code).with_record().first()
    )
    if conversation is not None:
        _log(
            admission, [(conversation, conversation.proposed_by_id)], CONVERSATION_KIND
        )
    return conversation


def may_witness(counselor: Any, admission_code: Any, code: Any) -> bool:
    """Return whether COUNSELOR may still witness conversation CODE (for a stream
    to ask when woken): served, scope on, the couple's."""
    admission = Admission.objects.serving(counselor).filter(code=admission_code).first()
    return admission is not None and _witnessable(admission, code).exists()
