import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import personal_key
from mend.couples.context_processors import current_space
from mend.intimacy import actions
from mend.intimacy.forms import CheckInForm, StepForm
from mend.intimacy.models import (
    ANSWERS,
    CHECK_IN_KIND,
    AfterCheckIn,
    Plan,
    Step,
    StepWording,
    answered,
)
from mend.lib.errors import Refused
from mend.privacy.models import SpaceKey, open_entries, open_entry
from mend.privacy.sharing import set_sharing


def _plan(request: AuthenticatedHttpRequest) -> Plan | None:
    space = current_space(request)
    return None if space is None else actions.plan_for(space)


def _couple_key(request: AuthenticatedHttpRequest, plan: Plan) -> bytes:
    """Return the couple key that seals the partners' yeses (or raise Refused)."""
    return SpaceKey.for_partner(plan.space, request.user, personal_key(request))


def _context(request: AuthenticatedHttpRequest, plan: Plan) -> dict[str, object]:
    partner_moved_down = (
        plan.moved_down_by_id is not None and plan.moved_down_by_id != request.user.pk
    )
    key_problem = ""
    is_ready = False
    try:
        couple_key = _couple_key(request, plan)
        plan.fold_legacy_yeses(couple_key)
        is_ready = plan.is_ready(request.user, couple_key)
    except Refused as e:
        key_problem = str(e)
    return {
        "plan": plan,
        "steps": plan.ordered_steps(),
        "next_step": plan.next_step(),
        "previous_step": plan.previous_step(),
        "is_ready": is_ready,
        "key_problem": key_problem,
        "reworded": plan.recently_reworded(),
        "partner_moved_down": partner_moved_down,
        "form": StepForm(),
    }


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return redirect("home:index")
    return render(request, "intimacy/index.html", _context(request, plan))


@login_required
def plan_fragment(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return redirect("home:index")
    return render(request, "intimacy/_plan.html", _context(request, plan))


def _done(
    request: AuthenticatedHttpRequest,
    message: str = "",
    error: str = "",
    form: StepForm | None = None,
    typed: dict[str, str] | None = None,
) -> HttpResponse:
    """Answer a change: the plan (htmx), or the page after a redirect.

    A refused FORM (or TYPED words: which box, what) comes back with what was typed,
    whole, and why: in the fragment (htmx swaps only a 200), or on the page at 400.
    """
    kept: dict[str, Any] = {}
    if error and form is not None:
        kept["form"] = form
    if error and typed is not None:
        kept["typed"] = typed
    if request.headers.get("HX-Request") == "true" or kept:
        plan = _plan(request)
        assert plan is not None
        context = _context(request, plan) | {"message": message, "error": error}
        if request.headers.get("HX-Request") == "true":
            return render(request, "intimacy/_plan.html", context | kept)
        return render(request, "intimacy/index.html", context | kept, status=400)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("intimacy:index")


def _act(
    request: AuthenticatedHttpRequest,
    change: Callable[[Plan], str],
    form: StepForm | None = None,
    typed: dict[str, str] | None = None,
) -> HttpResponse:
    """Apply CHANGE to the couple's plan and answer with its message or refusal."""
    plan = _plan(request)
    if plan is None:
        return redirect("home:index")
    try:
        message = change(plan)
    except Refused as e:
        return _done(request, error=str(e), form=form, typed=typed)
    return _done(request, message=message)


@login_required
@require_POST
def say_ready(request: AuthenticatedHttpRequest) -> HttpResponse:
    def ready(plan: Plan) -> str:
        if actions.say_ready(plan, request.user, _couple_key(request, plan)):
            return _("You both said yes. Welcome to the next step; go gently.")
        return _(
            "Noted, privately. If your partner is ready too, you'll move up together."
        )

    return _act(request, ready)


@login_required
@require_POST
def take_back_ready(request: AuthenticatedHttpRequest) -> HttpResponse:
    def take_back(plan: Plan) -> str:
        actions.take_back_ready(plan, request.user, _couple_key(request, plan))
        return _("Taken back. Not yet is always fine.")

    return _act(request, take_back)


@login_required
@require_POST
def move_down(request: AuthenticatedHttpRequest) -> HttpResponse:
    def down(plan: Plan) -> str:
        actions.move_down(plan, request.user)
        return _("Done. Your partner is told kindly, without any detail.")

    return _act(request, down)


@login_required
@require_POST
def move_to(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    step = get_object_or_404(Step.objects.for_member(request.user), code=code)

    def to(plan: Plan) -> str:
        actions.move_to(plan, step, request.user)
        return _("Done. Your partner is told kindly, without any detail.")

    return _act(request, to)


@login_required
@require_POST
def add_step(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StepForm(request.POST)

    def add(plan: Plan) -> str:
        if not form.is_valid():
            raise Refused(_("Give the step a name (up to 120 characters)."))
        actions.add_step(plan, request.user, **form.cleaned_data)
        return _("Added. You both see it.")

    return _act(request, add, form)


@login_required
def edit_step(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    step = get_object_or_404(Step.objects.for_member(request.user), code=code)
    form = StepForm(
        request.POST or None, initial={"title": step.title, "notes": step.notes}
    )
    plan = _plan(request)
    assert plan is not None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = actions.propose_words(
                    plan, step, request.user, **form.cleaned_data
                )
            except Refused as e:
                form.add_error(None, str(e))
                status = e.status
            else:
                messages.success(
                    request,
                    _("Saved. You both see the change.")
                    if proposal is None
                    else _(
                        "Proposed. The step keeps its current words until your "
                        "partner affirms the new ones. Any “ready” is for the words "
                        "in force."
                    ),
                )
                return redirect("intimacy:index")
    context = {"form": form, "step": step, "needs_both": step.needs_both(plan)}
    return render(request, "intimacy/edit_step.html", context, status=status)


@login_required
@require_POST
def affirm_words(
    request: AuthenticatedHttpRequest, code: str, wording_code: str
) -> HttpResponse:
    proposal = get_object_or_404(
        StepWording.objects.for_member(request.user),
        code=wording_code,
        step__code=code,
    )

    words = str(request.POST.get("words", ""))

    def affirm(plan: Plan) -> str:
        actions.affirm_words(plan, proposal, request.user, words)
        return _(
            "Affirmed: these are now the step's words for you both. Any “ready” "
            "given for the earlier words was cleared."
        )

    return _act(request, affirm, typed={"box": str(proposal.code), "text": words})


@login_required
@require_POST
def remove_step(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    step = get_object_or_404(Step.objects.for_member(request.user), code=code)

    def remove(plan: Plan) -> str:
        actions.remove_step(plan, step, request.user)
        return _("Removed. You both see the change.")

    return _act(request, remove)


@login_required
def check_ins(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    entries = list(AfterCheckIn.objects.visible_to(request.user).newest_first()[:200])
    key = personal_key(request)
    opened = open_entries(entries, request.user, key, CHECK_IN_KIND)
    has_locked = key is None and any(
        e.author_id == request.user.pk and not e.is_shared for e in entries
    )
    context = {
        "opened": [(entry, answered(content)) for entry, content in opened],
        "has_locked": has_locked,
        "waiting": list(AfterCheckIn.objects.waiting_for(request.user)[:50]),
        "withdrawn": list(AfterCheckIn.objects.withdrawn_for(request.user)[:50]),
    }
    return render(request, "intimacy/check_ins.html", context)


@login_required
def add_check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    today = timezone.localdate(timezone=request.user.tzinfo)
    form = CheckInForm(
        request.POST or None,
        initial={"step": request.GET.get("step") or None},
        today=today,
    )
    step_code = request.POST.get("step") or request.GET.get("step")
    step = None
    if step_code:
        step = get_object_or_404(
            Step.objects.for_member(request.user), code=_uuid_or_404(step_code)
        )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.write_check_in(
                    space,
                    request.user,
                    personal_key(request),
                    answers={name: data[name] for name in ANSWERS},
                    on=data["on"],
                    step=step,
                    share=data["share"],
                )
            except Refused as e:
                form.add_error(None, str(e))
                status = e.status
            else:
                messages.success(
                    request,
                    _(
                        "Saved and shared. Your partner reads it once they have "
                        "shared a check-in about the same day too."
                    )
                    if data["share"]
                    else _("Saved, privately: only you can read it."),
                )
                return redirect("intimacy:check_ins")
    return render(
        request,
        "intimacy/add_check_in.html",
        {"form": form, "step": step},
        status=status,
    )


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as e:
        raise Http404 from e


@login_required
def check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        AfterCheckIn.objects.visible_to(request.user).newest_first(), code=code
    )
    try:
        content = open_entry(item, request.user, personal_key(request), CHECK_IN_KIND)
    except Refused as e:
        return render(
            request,
            "intimacy/check_in.html",
            {"entry": item, "error": str(e)},
            status=e.status,
        )
    return render(
        request,
        "intimacy/check_in.html",
        {"entry": item, "answers": answered(content)},
    )


def _toggle(request: AuthenticatedHttpRequest, code: str, share: bool) -> HttpResponse:
    item = get_object_or_404(AfterCheckIn.objects.mine(request.user), code=code)
    set_sharing(
        request,
        item,
        share=share,
        shared_message=_(
            "Shared. Your partner reads it once they have shared a check-in "
            "about the same day too."
        ),
    )
    return redirect("intimacy:check_in", code=item.code)


@login_required
@require_POST
def share_check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=True)


@login_required
@require_POST
def unshare_check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=False)


@login_required
@require_POST
def delete_check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(AfterCheckIn.objects.mine(request.user), code=code)
    item.remove(request.user)
    messages.success(request, _("Deleted."))
    return redirect("intimacy:check_ins")
