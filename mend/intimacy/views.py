from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.couples.context_processors import current_space
from mend.intimacy import actions
from mend.intimacy.forms import StepForm
from mend.intimacy.models import Plan, Step
from mend.lib.errors import Refused


def _plan(request: AuthenticatedHttpRequest) -> Plan | None:
    space = current_space(request)
    return None if space is None else actions.plan_for(space)


def _context(request: AuthenticatedHttpRequest, plan: Plan) -> dict[str, object]:
    partner_moved_down = (
        plan.moved_down_by_id is not None and plan.moved_down_by_id != request.user.pk
    )
    return {
        "plan": plan,
        "steps": plan.ordered_steps(),
        "next_step": plan.next_step(),
        "previous_step": plan.previous_step(),
        "is_ready": plan.is_ready(request.user),
        "partner_moved_down": partner_moved_down,
        "form": StepForm(),
    }


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return redirect("couples:home")
    return render(request, "intimacy/index.html", _context(request, plan))


@login_required
def plan_fragment(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return redirect("couples:home")
    return render(request, "intimacy/_plan.html", _context(request, plan))


def _done(
    request: AuthenticatedHttpRequest, message: str = "", error: str = ""
) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        plan = _plan(request)
        assert plan is not None
        context = _context(request, plan) | {"message": message, "error": error}
        return render(request, "intimacy/_plan.html", context)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("intimacy:index")


def _act(
    request: AuthenticatedHttpRequest, change: Callable[[Plan], str]
) -> HttpResponse:
    """Apply CHANGE to the couple's plan and answer with its message or refusal."""
    plan = _plan(request)
    if plan is None:
        return redirect("couples:home")
    try:
        message = change(plan)
    except Refused as e:
        return _done(request, error=str(e))
    return _done(request, message=message)


@login_required
@require_POST
def say_ready(request: AuthenticatedHttpRequest) -> HttpResponse:
    def ready(plan: Plan) -> str:
        if actions.say_ready(plan, request.user):
            return _("You both said yes. Welcome to the next step; go gently.")
        return _(
            "Noted, privately. If your partner is ready too, you'll move up together."
        )

    return _act(request, ready)


@login_required
@require_POST
def take_back_ready(request: AuthenticatedHttpRequest) -> HttpResponse:
    def take_back(plan: Plan) -> str:
        actions.take_back_ready(plan, request.user)
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

    return _act(request, add)


@login_required
def edit_step(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    step = get_object_or_404(Step.objects.for_member(request.user), code=code)
    form = StepForm(
        request.POST or None, initial={"title": step.title, "notes": step.notes}
    )
    if request.method == "POST" and form.is_valid():
        plan = _plan(request)
        assert plan is not None
        actions.rename_step(plan, step, request.user, **form.cleaned_data)
        messages.success(request, _("Saved. You both see the change."))
        return redirect("intimacy:index")
    return render(request, "intimacy/edit_step.html", {"form": form, "step": step})


@login_required
@require_POST
def remove_step(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    step = get_object_or_404(Step.objects.for_member(request.user), code=code)

    def remove(plan: Plan) -> str:
        actions.remove_step(plan, step, request.user)
        return _("Removed. You both see the change.")

    return _act(request, remove)


@login_required
def after(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "intimacy/after.html")
