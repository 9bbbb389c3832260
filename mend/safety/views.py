from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import personal_key
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.lib.pagination import page_of
from mend.privacy.models import open_entries, open_entry
from mend.privacy.sharing import set_sharing
from mend.safety import actions, help
from mend.safety.forms import ExtendForm, SignalForm, TriggerForm
from mend.safety.models import TRIGGER_KIND, Signal, Trigger


def neutral(request: HttpRequest) -> HttpResponse:
    """Where quick exit lands by default: an ordinary page that says nothing of Mend."""
    return render(request, "safety/neutral.html")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    signals = (
        Signal.objects.for_member(request.user)
        .select_related("sender", "ready_by")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(request, "safety/index.html", {"signals": signals})


@login_required
def send_signal(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = SignalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.send_signal(
                    space,
                    request.user,
                    kind=form.cleaned_data["kind"],
                    minutes=form.cleaned_data["minutes"],
                    return_at=form.return_at(),
                )
            except Refused as e:
                form.add_error(None, str(e))
            else:
                messages.success(
                    request,
                    _("Sent. Take the time you need; nothing else is asked of you."),
                )
                return redirect("safety:grounding")
        status = 400
    return render(request, "safety/send_signal.html", {"form": form}, status=status)


def _running(request: AuthenticatedHttpRequest) -> list[Signal]:
    return list(Signal.objects.for_member(request.user).running())


@login_required
def banner(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Return the live banner: every running signal, each partner's beside the other's."""
    return render(request, "safety/_banner.html", {"signals": _running(request)})


def _after_change(request: AuthenticatedHttpRequest, error: str = "") -> HttpResponse:
    if _is_htmx(request):
        return render(
            request,
            "safety/_banner.html",
            {"signals": _running(request), "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("safety:index")


def _signal(request: AuthenticatedHttpRequest, code: str) -> Signal:
    return get_object_or_404(
        Signal.objects.for_member(request.user).select_related("sender"), code=code
    )


@login_required
@require_POST
def extend_signal(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    signal = _signal(request, code)
    form = ExtendForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Choose how many minutes to add."))
        actions.extend_signal(signal, request.user, form.cleaned_data["minutes"])
    except Refused as e:
        return _after_change(request, str(e))
    return _after_change(request)


@login_required
@require_POST
def say_ready(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        actions.say_ready(_signal(request, code), request.user)
    except Refused as e:
        return _after_change(request, str(e))
    return _after_change(request)


@login_required
@require_POST
def end_signal(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        actions.end_signal(_signal(request, code), request.user)
    except Refused as e:
        return _after_change(request, str(e))
    return _after_change(request)


def grounding(request: HttpRequest) -> HttpResponse:
    # Open to everyone: grounding should never be behind a sign-in.
    return render(request, "safety/grounding.html")


def help_page(request: HttpRequest) -> HttpResponse:
    # Open to everyone, so someone who feels unsafe can reach it without an account.
    return render(request, "safety/help.html", {"resources": help.resources()})


@login_required
def triggers(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    page = page_of(
        request,
        Trigger.objects.visible_to(request.user).select_related("author"),
        "created_at",
    )
    key = personal_key(request)
    opened = open_entries(page.items, request.user, key, TRIGGER_KIND)
    return render(request, "safety/triggers.html", {"opened": opened, "page": page})


@login_required
def add_trigger(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = TriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.note_trigger(
                space,
                request.user,
                personal_key(request),
                share=data["share"],
                what=data["what"],
                when=data["when"],
                intensity=str(data["intensity"]),
                helped=data["helped"],
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Noted."))
            return redirect("safety:triggers")
    return render(
        request,
        "safety/add_trigger.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def trigger(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        Trigger.objects.visible_to(request.user).select_related("author"), code=code
    )
    try:
        content = open_entry(item, request.user, personal_key(request), TRIGGER_KIND)
    except Refused as e:
        return render(
            request,
            "safety/trigger.html",
            {"trigger": item, "error": str(e)},
            status=e.status,
        )
    return render(request, "safety/trigger.html", {"trigger": item, "content": content})


def _toggle(request: AuthenticatedHttpRequest, code: str, share: bool) -> HttpResponse:
    item = get_object_or_404(Trigger.objects.mine(request.user), code=code)
    set_sharing(request, item, share=share)
    return redirect("safety:trigger", code=item.code)


@login_required
@require_POST
def share_trigger(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=True)


@login_required
@require_POST
def unshare_trigger(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=False)


@login_required
@require_POST
def delete_trigger(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Trigger.objects.mine(request.user), code=code)
    item.delete()
    messages.success(request, _("Deleted."))
    return redirect("safety:triggers")
