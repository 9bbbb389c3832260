from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.lib.pagination import newest_first, page_of
from mend.story import actions
from mend.story.forms import AffirmForm, AppreciationForm, RitualForm, StandForForm
from mend.story.models import (
    Appreciation,
    Ritual,
    StandFor,
    StandForWording,
    recap,
)

FEED = 20
PAGE = 50


def month_of(value: str | None, today: date) -> tuple[int, int]:
    """Return (year, month) from "YYYY-MM", or raise Refused with a clear message."""
    if not value:
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-"))
        date(year, month, 1)
    except ValueError as e:
        raise Refused(
            _("Please give the month as YYYY-MM, for example 2026-11.")
        ) from e
    if not 1900 <= year <= 2999:
        raise Refused(_("Please choose a month between 1900 and 2999."))
    return year, month


def previous_month(year: int, month: int) -> str:
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def _page(
    request: AuthenticatedHttpRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    space = current_space(request)
    assert space is not None
    feed = newest_first(
        Appreciation.objects.for_member(request.user).newest(), "created_at", size=FEED
    )
    shown = feed.items
    actions.read_notes(request.user, shown)
    statement = StandFor.of(space)
    statement = (
        StandFor.objects.for_member(request.user).with_wordings().get(pk=statement.pk)
    )
    today = timezone.localdate(timezone.now(), request.user.tzinfo)
    return render(
        request,
        "story/index.html",
        {
            "notes": shown,
            "older": feed.older,
            "statement": statement,
            "current": statement.current(),
            "waiting": statement.waiting(),
            "is_due": statement.is_due(today),
            "rituals": list(
                Ritual.objects.for_member(request.user)
                .ongoing()
                .with_count()
                .order_by("created_at")[:PAGE]
            ),
            "this_month": f"{today.year}-{today.month:02d}",
            "last_month": previous_month(today.year, today.month),
            "note_form": forms.get("note_form") or AppreciationForm(),
            "from_home": False,
            "affirm_form": forms.get("affirm_form") or AffirmForm(),
        },
        status=status,
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    return _page(request)


@login_required
@require_POST
def add_appreciation(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = AppreciationForm(request.POST)
    if form.is_valid():
        try:
            Appreciation.write(space, request.user, form.cleaned_data["text"])
        except Refused as e:
            form.add_error("text", str(e))
        else:
            messages.success(request, _("Sent. Thank you for noticing."))
            return redirect(
                "home:index" if request.POST.get("from") == "home" else "story:index"
            )
    # Shown again on the story page, whole, with what to change: nothing typed is lost.
    return _page(request, status=400, note_form=form)


@login_required
def appreciations(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    page = page_of(
        request, Appreciation.objects.for_member(request.user).newest(), "created_at"
    )
    actions.read_notes(request.user, page.items)
    return render(
        request, "story/appreciations.html", {"notes": page.items, "page": page}
    )


@login_required
def monthly_recap(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    today = timezone.localdate(timezone.now(), request.user.tzinfo)
    try:
        year, month = month_of(request.GET.get("month"), today)
    except Refused as e:
        return render(request, "story/recap.html", {"error": str(e)}, status=400)
    groups = recap(
        Appreciation.objects.for_member(request.user),
        year,
        month,
        request.user.tzinfo,
    )
    actions.read_notes(request.user, [n for _a, notes in groups for n in notes])
    return render(
        request,
        "story/recap.html",
        {
            "error": None,
            "groups": groups,
            "month": date(year, month, 1),
            "previous": previous_month(year, month),
        },
    )


@login_required
def propose_values(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    statement = StandFor.of(space)
    shown = statement.waiting() or statement.current()
    initial = (
        {
            "values": shown.values,
            "commitments": shown.commitments,
            "vision": shown.vision,
            "revisit_every_days": shown.revisit_every_days,
        }
        if shown
        else None
    )
    form = StandForForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            statement.propose(request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _(
                    "Proposed. These words become current once your partner affirms "
                    "them and you confirm."
                ),
            )
            return redirect("story:index")
    return render(
        request,
        "story/values.html",
        {"form": form, "current": statement.current()},
        status=400 if form.is_bound else 200,
    )


def _wording(request: AuthenticatedHttpRequest, code: str) -> StandForWording:
    return get_object_or_404(
        StandForWording.objects.for_member(request.user).select_related("stand_for"),
        code=code,
    )


@login_required
@require_POST
def affirm_values(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wording = _wording(request, code)
    form = AffirmForm(request.POST)
    try:
        wording.affirm(request.user, str(form.data.get("words", "")))
    except Refused as e:
        form.is_valid()
        form.add_error("words", str(e))
        return _page(request, status=e.status, affirm_form=form)
    messages.success(
        request, _("Affirmed. Your partner confirms the final words next.")
    )
    return redirect("story:index")


@login_required
@require_POST
def confirm_values(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wording = _wording(request, code)
    try:
        wording.confirm(request.user)
    except Refused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Confirmed. This is what you stand for, together."))
    return redirect("story:index")


@login_required
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    versions = list(
        StandForWording.objects.for_member(request.user)
        .select_related("proposed_by", "affirmed_by")
        .order_by("-number")[:PAGE]
    )
    return render(request, "story/history.html", {"versions": versions})


@login_required
def add_ritual(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = RitualForm(
        request.POST or None,
        initial={
            "starts_on": timezone.localdate(),
            "at": "08:00",
            "frequency": "daily",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            Ritual.start(space, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Added. It's yours to keep together."))
            return redirect("story:index")
    return render(
        request,
        "story/add_ritual.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _ritual(request: AuthenticatedHttpRequest, code: str) -> Ritual:
    return get_object_or_404(Ritual.objects.for_member(request.user), code=code)


@login_required
@require_POST
def ritual_done(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        _ritual(request, code).mark_done(request.user)
    except Refused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Marked for today."))
    return redirect("story:index")


@login_required
@require_POST
def stop_ritual(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _ritual(request, code).stop(request.user)
    messages.success(request, _("Set aside. Its count stays."))
    return redirect("story:index")
