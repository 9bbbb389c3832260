from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import personal_key
from mend.checkins import actions
from mend.checkins.forms import AnswerForm, CheckInForm
from mend.checkins.models import (
    ANSWER_WINDOW,
    KIND,
    Answer,
    CheckIn,
    default_start,
    due_for,
)
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.privacy.models import open_entries, open_entry
from mend.privacy.sharing import set_sharing


def _page(
    request: AuthenticatedHttpRequest, status: int = 200, **extra: Any
) -> HttpResponse:
    now = timezone.now()
    user = request.user
    due = due_for(user, now)
    forms = extra.pop("forms", {})
    for item in due:
        code = item["check_in"].code
        item["form"] = forms.get(code) or AnswerForm(item["check_in"])
    entries = list(
        Answer.objects.visible_to(user)
        .filter(occurs_at__gte=now - ANSWER_WINDOW)
        .newest_first()[:100]
    )
    key = personal_key(request)
    opened = open_entries(entries, user, key, KIND)
    context = {
        "due": due,
        "opened": opened,
        "has_locked": key is None
        and any(e.author_id == user.pk and not e.is_shared for e in entries),
        "waiting": list(Answer.objects.waiting_for(user)[:50]),
        "withdrawn": list(Answer.objects.withdrawn_for(user)[:50]),
        "check_ins": list(
            CheckIn.objects.for_member(user).active().order_by("created_at")[:50]
        ),
        **extra,
    }
    return render(request, "checkins/index.html", context, status=status)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    return _page(request)


@login_required
def add_check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    kind = request.GET.get("kind", "daily")
    starts_on, at = default_start(request.user)
    form = CheckInForm(
        request.POST or None,
        initial={
            "kind": kind,
            "frequency": "daily" if kind == "daily" else "weekly",
            "starts_on": starts_on,
            "at": at,
            "interval": 1,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_check_in(
                    space,
                    request.user,
                    kind=data["kind"],
                    name=data["name"],
                    schedule=form.schedule(request.user.time_zone),
                    prompts=form.prompt_list(),
                )
            except Refused as e:
                form.add_error(None, str(e))
                status = e.status
            else:
                messages.success(request, _("Added. You both see it."))
                return redirect("checkins:index")
    return render(request, "checkins/edit.html", {"form": form}, status=status)


@login_required
def edit_check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    check_in = get_object_or_404(CheckIn.objects.for_member(request.user), code=code)
    form = CheckInForm.for_check_in(check_in, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.edit_check_in(
                    check_in,
                    name=data["name"],
                    schedule=form.schedule(request.user.time_zone),
                    prompts=form.prompt_list() or check_in.prompts,
                )
            except Refused as e:
                form.add_error(None, str(e))
                status = e.status
            else:
                messages.success(request, _("Saved. You both see the change."))
                return redirect("checkins:index")
    return render(
        request,
        "checkins/edit.html",
        {"form": form, "check_in": check_in},
        status=status,
    )


@login_required
@require_POST
def stop_check_in(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    check_in = get_object_or_404(CheckIn.objects.for_member(request.user), code=code)
    check_in.stop()
    messages.success(request, _("Stopped. Earlier answers stay."))
    return redirect("checkins:index")


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    check_in = get_object_or_404(CheckIn.objects.for_member(request.user), code=code)
    form = AnswerForm(check_in, request.POST)
    occurs_at = _moment(request.POST.get("occurs_at", ""))
    if form.is_valid() and occurs_at is None:
        form.add_error(None, _("Please answer a check-in that has a time."))
    if form.is_valid():
        data = form.cleaned_data
        assert occurs_at is not None
        try:
            actions.answer(
                check_in,
                request.user,
                personal_key(request),
                occurs_at=occurs_at,
                answers=form.answers(),
                share=data["share"] or data["show_early"],
                show_early=data["show_early"],
            )
        except Refused as e:
            form.add_error(None, str(e))
            return _page(request, status=e.status, forms={check_in.code: form})
        messages.success(
            request,
            _("Saved and shared. You read each other's once you have both answered.")
            if data["share"] or data["show_early"]
            else _("Saved, privately: only you can read it."),
        )
        return redirect("checkins:index")
    return _page(request, status=400, forms={check_in.code: form})


@login_required
def view_answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        Answer.objects.visible_to(request.user).newest_first(), code=code
    )
    try:
        content = open_entry(item, request.user, personal_key(request), KIND)
    except Refused as e:
        return render(
            request,
            "checkins/answer.html",
            {"entry": item, "error": str(e)},
            status=e.status,
        )
    return render(request, "checkins/answer.html", {"entry": item, "content": content})


def _toggle(request: AuthenticatedHttpRequest, code: str, share: bool) -> HttpResponse:
    item = get_object_or_404(Answer.objects.mine(request.user), code=code)
    set_sharing(
        request,
        item,
        share=share,
        shared_message=_(
            "Shared. Your partner reads it once they have answered this one too."
        ),
    )
    return redirect("checkins:answer", code=item.code)


@login_required
@require_POST
def share_answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=True)


@login_required
@require_POST
def unshare_answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=False)


@login_required
@require_POST
def show_answer_early(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Answer.objects.mine(request.user), code=code)
    try:
        actions.show_early(item, personal_key(request), request.user)
    except Refused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Shown to your partner now."))
    return redirect("checkins:answer", code=item.code)


@login_required
@require_POST
def delete_answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Answer.objects.mine(request.user), code=code)
    item.remove(request.user)
    messages.success(request, _("Deleted."))
    return redirect("checkins:index")
