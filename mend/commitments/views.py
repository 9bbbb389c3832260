import datetime as dt
import uuid
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest, attempt
from mend.accounts.keyring import personal_key
from mend.agreements.models import Agreement
from mend.commitments import actions
from mend.commitments.forms import (
    AffirmForm,
    AnswerForm,
    CommitmentForm,
    DisclosureForm,
    DisclosureResponseForm,
    GoalForm,
    MarkForm,
    MilestoneForm,
    NewCommitmentForm,
    NewRunForm,
    QuestionForm,
    RespondForm,
    SlipForm,
)
from mend.commitments.models import (
    ANSWER_KIND,
    COMMITMENT_KIND,
    DISCLOSURE_KIND,
    GRAPHIC_NOTE,
    MILESTONE_KIND,
    QUESTION_KIND,
    SLIP_KIND,
    Answer,
    Commitment,
    CommitmentWording,
    Disclosure,
    Goal,
    Milestone,
    Question,
    Slip,
    asks_for_graphic_detail,
    today_for,
)
from mend.commitments.progress import progress_for
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import open_entries
from mend.privacy.sharing import set_sharing

# Lists show this many, newest first, with a link to the next older page.
PAGE = 20
# The commitments page shows each commitment's occurrences in these last days.
RECENT_DAYS = 7
DETAIL_DAYS = 28

M = TypeVar("M", bound=models.Model)


def _paged(
    request: AuthenticatedHttpRequest,
    rows: "models.QuerySet[M, M]",
    param: str = "page",
) -> tuple[list[M], int | None]:
    """Return one page of ROWS (PAGE of them) and the number of the next older page."""
    try:
        page = max(1, min(int(request.GET.get(param, "1")), 10_000))
    except ValueError:
        page = 1
    start = (page - 1) * PAGE
    found = list(rows[start : start + PAGE + 1])
    return found[:PAGE], page + 1 if len(found) > PAGE else None


def _form_errors(request: AuthenticatedHttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _refused(code: uuid.UUID, form: forms.Form, field: str) -> dict[str, Any]:
    """What a page needs to show one item's refused form again: whole, and why.

    The page shows it in the item's own form, or, where that form is not on the
    page (an older page, or not theirs to answer), above the list.
    """
    reasons = [str(m) for errors in form.errors.values() for m in errors]
    return {
        "code": code,
        "form": form,
        "text": str(form.data.get(field, "")),
        "error": " ".join(reasons),
    }


def _inline(failed: dict[str, Any] | None, items: list[Any], user: Any) -> None:
    """Note whether FAILED's own form is on the page: an item of the partner's."""
    if failed is not None:
        failed["inline"] = any(
            i.code == failed["code"] and i.author_id != user.pk for i in items
        )


def _space_or_home(request: AuthenticatedHttpRequest) -> Space | None:
    return current_space(request)


def _commitment(request: AuthenticatedHttpRequest, code: str) -> Commitment:
    return get_object_or_404(
        Commitment.objects.for_member(request.user).select_related("made_by"),
        code=code,
    )


def _since(request: AuthenticatedHttpRequest, days: int) -> dt.date:
    return today_for(request.user) - dt.timedelta(days=days + 1)


# Commitments -------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _index_page(request)


def _index_page(
    request: AuthenticatedHttpRequest, refused: dict[str, Any] | None = None
) -> HttpResponse:
    if _space_or_home(request) is None:
        return redirect("home:index")
    rows = (
        Commitment.objects.for_member(request.user)
        .with_details(_since(request, RECENT_DAYS))
        .newest_first()
    )
    commitments, older = _paged(request, rows)
    actions.record_seen(request.user, commitments, "made_by", COMMITMENT_KIND)
    return render(
        request,
        "commitments/index.html",
        {
            "commitments": [
                (c, c.recent_occurrences(RECENT_DAYS)) for c in commitments
            ],
            "older": older,
            "refused": refused,
        },
        status=400 if refused else 200,
    )


def _agreement_choices(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    agreements = (
        Agreement.objects.for_member(request.user)
        .with_live_versions()
        .current()
        .order_by("created_at")[:50]
    )
    return [(str(a.code), a.text) for a in agreements]


@login_required
def add_commitment(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    form = NewCommitmentForm(
        request.POST or None, agreements=_agreement_choices(request)
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["agreement"]
        agreement = (
            get_object_or_404(Agreement.objects.for_member(request.user), code=code)
            if code
            else None
        )
        try:
            Commitment.make(space, request.user, form.words(), agreement=agreement)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Your commitment is made."))
            return redirect("commitments:index")
    status = 400 if form.errors else 200
    return render(
        request, "commitments/add_commitment.html", {"form": form}, status=status
    )


def _detailed(request: AuthenticatedHttpRequest, code: str) -> Commitment:
    return get_object_or_404(
        Commitment.objects.for_member(request.user).with_details(
            _since(request, DETAIL_DAYS)
        ),
        code=code,
    )


@login_required
def commitment(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _detailed(request, code)
    return _commitment_page(request, item, _commitment_form(item))


def _commitment_form(item: Commitment) -> CommitmentForm:
    """The change form, filled with the words in force."""
    words = item.words()
    return CommitmentForm(
        initial={
            "text": words.text,
            "frequency": words.frequency,
            "weekdays": list(words.weekdays),
            "interval": words.interval,
            "at": words.at,
            "starts_on": words.starts_on,
            "ends_on": words.ends_on,
        }
    )


def _commitment_page(
    request: AuthenticatedHttpRequest,
    item: Commitment,
    form: CommitmentForm,
    refused: dict[str, Any] | None = None,
    affirm_form: AffirmForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    actions.record_seen(request.user, [item], "made_by", COMMITMENT_KIND)
    changes, older = _paged(
        request,
        CommitmentWording.objects.for_member(request.user)
        .filter(commitment=item)
        .select_related("proposed_by", "affirmed_by")
        .order_by("-number"),
    )
    return render(
        request,
        "commitments/commitment.html",
        {
            "item": item,
            "occurrences": item.recent_occurrences(DETAIL_DAYS),
            "next_at": item.next_occurrence(),
            "changes": changes,
            "older": older,
            "form": form,
            "affirm_form": affirm_form or AffirmForm(),
            "refused": refused,
        },
        status=status or (400 if form.errors or refused else 200),
    )


def _back(request: AuthenticatedHttpRequest, item: Commitment) -> HttpResponse:
    """Back where the mark was made: the commitment's page or the list."""
    if request.POST.get("next") == "detail":
        return redirect(item.get_absolute_url())
    return redirect("commitments:index")


@login_required
@require_POST
def mark_occurrence(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _commitment(request, code)
    form = MarkForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        attempt(
            request,
            lambda: item.mark(
                request.user, data["on"], kept=data["kept"], note=data["note"]
            ),
            _("Marked."),
        )
    return _back(request, item)


@login_required
@require_POST
def respond_occurrence(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _commitment(request, code)
    form = RespondForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item.respond(
                request.user, data["on"], agrees=data["agrees"], note=data["note"]
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Thank you. Your view is kept beside theirs."))
            return _back(request, item)
    # Refused or invalid: where it was written, with the note, whole, and why.
    refused = _refused(item.code, form, "note") | {"on": form.data.get("on", "")}
    if request.POST.get("next") == "detail":
        return _commitment_page(
            request, _detailed(request, code), _commitment_form(item), refused
        )
    return _index_page(request, refused)


@login_required
@require_POST
def change_commitment(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            _commitment(request, code).propose_change(request.user, form.words())
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("Proposed. The words in force stand until your partner agrees."),
            )
            return redirect("commitments:commitment", code=code)
    # Refused or invalid: the page again, with the change as typed, and why.
    return _commitment_page(request, _detailed(request, code), form)


@login_required
@require_POST
def end_commitment(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _commitment(request, code)
    attempt(
        request,
        lambda: item.propose_end(request.user),
        _("Proposed. It goes on until your partner agrees to end it."),
    )
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def affirm_change(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    change = get_object_or_404(
        CommitmentWording.objects.for_member(request.user).select_related("commitment"),
        code=code,
    )
    form = AffirmForm(request.POST)
    status = 400
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            change.affirm(request.user, form.cleaned_data["words"])
        except Refused as e:
            messages.error(request, str(e))
            status = e.status
        else:
            messages.success(request, _("Agreed. The change is in force."))
            return redirect(change.commitment.get_absolute_url())
    # The page again, with why and the words as typed.
    form.fields["words"].widget.attrs["aria-invalid"] = "true"
    item = change.commitment
    return _commitment_page(
        request,
        _detailed(request, str(item.code)),
        _commitment_form(item),
        affirm_form=form,
        status=status,
    )


# Disclosures -------------------------------------------------------------------------


@login_required
def disclosures(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            Disclosure.log(
                space,
                request.user,
                what=data["what"],
                kind=data["kind"],
                happened_at=data["happened_at"],
                told_at=data["told_at"] if data["told_in_person"] else None,
                told_in_person=data["told_in_person"],
                late_addition=data["late_addition"],
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Told. Thank you for telling."))
            return redirect("commitments:disclosures")
    return _disclosures_page(request, form)


def _disclosures_page(
    request: AuthenticatedHttpRequest,
    form: DisclosureForm,
    failed: dict[str, Any] | None = None,
) -> HttpResponse:
    items, older = _paged(
        request, Disclosure.objects.for_member(request.user).newest_first()
    )
    actions.record_seen(request.user, items, "author", DISCLOSURE_KIND)
    _inline(failed, items, request.user)
    return render(
        request,
        "commitments/disclosures.html",
        {
            "form": form,
            "items": items,
            "older": older,
            "response_form": DisclosureResponseForm(),
            "failed": failed,
        },
        status=400 if form.errors or failed else 200,
    )


def _disclosure(request: AuthenticatedHttpRequest, code: str) -> Disclosure:
    return get_object_or_404(Disclosure.objects.for_member(request.user), code=code)


@login_required
@require_POST
def respond_disclosure(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _disclosure(request, code)
    form = DisclosureResponseForm(request.POST)
    if form.is_valid():
        try:
            item.respond(request.user, form.cleaned_data["response"])
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Your response is with them."))
            return redirect("commitments:disclosures")
    # Refused or invalid: the page again, with what was written, whole, and why.
    return _disclosures_page(
        request, DisclosureForm(), _refused(item.code, form, "response")
    )


@login_required
@require_POST
def thank_disclosure(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _disclosure(request, code)
    attempt(request, lambda: item.thank(request.user), _("Your thanks is with them."))
    return redirect("commitments:disclosures")


# Questions ---------------------------------------------------------------------------


@login_required
def questions(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    key = personal_key(request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            Question.draft(space, request.user, key, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Kept privately. Send it when you are ready."))
            return redirect("commitments:questions")
    return _questions_page(request, form)


def _questions_page(
    request: AuthenticatedHttpRequest,
    form: QuestionForm,
    failed: dict[str, Any] | None = None,
) -> HttpResponse:
    key = personal_key(request)
    rows = (
        Question.objects.visible_to(request.user)
        .select_related("author")
        .prefetch_related("answers__author")
        .order_by("is_shared", "-shared_at", "-created_at")
    )
    items, older = _paged(request, rows)
    opened = open_entries(items, request.user, key, QUESTION_KIND)
    _inline(failed, items, request.user)
    answers = [a for q, _c in opened for a in q.answers.all()]
    actions.record_seen(request.user, answers, "author", ANSWER_KIND)
    return render(
        request,
        "commitments/questions.html",
        {
            "form": form,
            "opened": [
                (q, c, asks_for_graphic_detail(c.get("text", ""))) for q, c in opened
            ],
            "older": older,
            "graphic_note": GRAPHIC_NOTE,
            "answer_form": AnswerForm(),
            "locked": key is None,
            "failed": failed,
        },
        status=400 if form.errors or failed else 200,
    )


@login_required
@require_POST
def send_question(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Question.objects.mine(request.user), code=code)
    set_sharing(request, item, share=True, shared_message=_("Sent to your partner."))
    return redirect("commitments:questions")


@login_required
@require_POST
def delete_question(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        Question.objects.mine(request.user).filter(is_shared=False), code=code
    )
    item.delete()
    messages.success(request, _("Deleted."))
    return redirect("commitments:questions")


@login_required
@require_POST
def answer_question(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Question.objects.visible_to(request.user), code=code)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            Answer.give(item, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Your answer is with them."))
            return redirect("commitments:questions")
    # Refused or invalid: the page again, with the answer, whole, and why.
    return _questions_page(request, QuestionForm(), _refused(item.code, form, "text"))


# Slips -------------------------------------------------------------------------------


def _milestone_choices(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    mine = Milestone.objects.for_member(request.user).filter(created_by=request.user)
    return [(str(m.code), m.name) for m in mine.order_by("-created_at")[:20]]


@login_required
def slips(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    key = personal_key(request)
    form = SlipForm(request.POST or None, milestones=_milestone_choices(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        milestone = (
            get_object_or_404(
                Milestone.objects.for_member(request.user), code=data["milestone"]
            )
            if data["milestone"]
            else None
        )
        try:
            actions.record_slip(
                space,
                request.user,
                key,
                kind=data["kind"],
                on=data["on"],
                led_to=data["led_to"],
                learned=data["learned"],
                step=data["step"],
                share=data["share"],
                make_commitment=data["make_commitment"],
                milestone=milestone,
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Kept. Thank you for looking at it honestly."))
            return redirect("commitments:slips")
    rows = (
        Slip.objects.visible_to(request.user)
        .select_related("author", "step_commitment")
        .order_by("-on", "-created_at")
    )
    items, older = _paged(request, rows)
    return render(
        request,
        "commitments/slips.html",
        {
            "form": form,
            "opened": open_entries(items, request.user, key, SLIP_KIND),
            "older": older,
            "locked": key is None,
        },
        status=400 if form.errors else 200,
    )


def _slip_sharing(
    request: AuthenticatedHttpRequest, code: str, share: bool
) -> HttpResponse:
    item = get_object_or_404(Slip.objects.mine(request.user), code=code)
    set_sharing(request, item, share=share)
    return redirect("commitments:slips")


@login_required
@require_POST
def share_slip(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _slip_sharing(request, code, share=True)


@login_required
@require_POST
def unshare_slip(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _slip_sharing(request, code, share=False)


@login_required
@require_POST
def delete_slip(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Slip.objects.mine(request.user), code=code)
    item.delete()
    messages.success(request, _("Deleted."))
    return redirect("commitments:slips")


# Milestones and goals ----------------------------------------------------------------


@login_required
def milestones(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    form = MilestoneForm(request.POST or None, prefix="milestone")
    if request.method == "POST" and form.is_valid():
        try:
            Milestone.start(space, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("Started. Every day counts, and stays counted.")
            )
            return redirect("commitments:milestones")
    return _milestones_page(request, form, GoalForm(prefix="goal"))


def _milestones_page(
    request: AuthenticatedHttpRequest, form: MilestoneForm, goal_form: GoalForm
) -> HttpResponse:
    items, older = _paged(
        request,
        Milestone.objects.for_member(request.user).with_runs().order_by("-created_at"),
    )
    goals, older_goals = _paged(
        request, Goal.objects.for_member(request.user).newest_first(), "goals"
    )
    actions.record_seen(request.user, items, "created_by", MILESTONE_KIND)
    actions.record_seen(request.user, goals, "created_by", MILESTONE_KIND)
    for goal in goals:
        goal.is_for_viewer = goal.is_for(request.user)  # type: ignore[attr-defined]  # for the template
    today = today_for(request.user)
    return render(
        request,
        "commitments/milestones.html",
        {
            "form": form,
            "goal_form": goal_form,
            "run_form": NewRunForm(),
            "items": [
                {
                    "milestone": m,
                    "runs": m.runs_in_order(),
                    "current": m.current_run(),
                    "current_days": m.in_unit(m.current_days(today)),
                    "total": m.in_unit(m.total_days(today)),
                    "longest": m.in_unit(m.longest_days(today)),
                }
                for m in items
            ],
            "older": older,
            "goals": goals,
            "older_goals": older_goals,
            "today": today,
        },
        status=400 if form.errors or goal_form.errors else 200,
    )


@login_required
@require_POST
def new_run(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Milestone.objects.for_member(request.user), code=code)
    form = NewRunForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        attempt(
            request,
            lambda: item.new_run(request.user, form.cleaned_data["on"]),
            _("A new run has started. Every earlier day is still counted."),
        )
    return redirect("commitments:milestones")


@login_required
@require_POST
def add_goal(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space_or_home(request)
    if space is None:
        return redirect("home:index")
    form = GoalForm(request.POST, prefix="goal")
    if form.is_valid():
        try:
            Goal.set(space, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Goal set."))
            return redirect("commitments:milestones")
    # Refused or invalid: the page again, with the goal as typed, and why.
    return _milestones_page(request, MilestoneForm(prefix="milestone"), form)


@login_required
@require_POST
def goal_done(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Goal.objects.for_member(request.user), code=code)
    attempt(request, lambda: item.mark_done(request.user), _("Done. Well done."))
    return redirect("commitments:milestones")


# Progress ----------------------------------------------------------------------------


@login_required
def progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _space_or_home(request) is None:
        return redirect("home:index")
    return render(
        request,
        "commitments/progress.html",
        progress_for(request.user, personal_key(request)),
    )
