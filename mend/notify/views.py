import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.lib.errors import Refused
from mend.notify import push
from mend.notify.models import (
    MAX_DEVICE_NAME,
    PUSH_TOPICS,
    TOPICS,
    PushSubscription,
    push_is_configured,
    push_topics,
    read_stop_token,
    set_email,
    set_push,
    subscribe,
    unsubscribe,
)


# The signed token is the proof; no sign-in is needed. GET only asks, so a mail
# scanner that follows links stops nothing; the one click is the page's button.
def stop(request: HttpRequest, token: str) -> HttpResponse:
    found = read_stop_token(token)
    if found is None:
        return render(request, "notify/stop.html", {"invalid": True}, status=404)
    user, topic = found
    if request.method == "POST":
        set_email(user, topic, False)
        return render(
            request, "notify/stop.html", {"label": TOPICS[topic], "done": True}
        )
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "notify/stop.html", {"label": TOPICS[topic]})


@login_required
def push_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Web Push, turned on and off by its person: their browsers and the kinds."""
    return _push_page(request)


def _push_page(
    request: AuthenticatedHttpRequest, name: str = "", error: str = ""
) -> HttpResponse:
    """The page; after a refused turn-on, with the name typed, whole, and why."""
    user = request.user
    chosen = push_topics(user)
    context = {
        "push_ready": push_is_configured(),
        "public_key": push.public_key() if push_is_configured() else "",
        "devices": list(
            PushSubscription.objects.for_member(user).order_by("created_at")
        ),
        "kinds": [(t, label, t in chosen) for t, label in PUSH_TOPICS.items()],
        "max_name": MAX_DEVICE_NAME,
        "name": name,
        "error": error,
    }
    return render(request, "notify/push.html", context, status=400 if error else 200)


@login_required
@require_POST
def push_on(request: AuthenticatedHttpRequest) -> HttpResponse:
    name = str(request.POST.get("name", ""))
    try:
        subscribe(
            request.user,
            name,
            request.POST.get("endpoint", ""),
            request.POST.get("p256dh", ""),
            request.POST.get("auth", ""),
        )
    except Refused as e:
        return _push_page(request, name, str(e))
    messages.success(request, _("Notifications are on for this device."))
    return redirect("notify:push")


@login_required
@require_POST
def push_off(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    if not unsubscribe(request.user, code):
        raise Http404
    messages.success(request, _("Notifications are off for that device."))
    return redirect("notify:push")


@login_required
@require_POST
def push_kind(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        set_push(
            request.user,
            request.POST.get("topic", ""),
            request.POST.get("push") == "on",
        )
    except Refused as e:
        messages.error(request, str(e))
        return redirect("notify:push")
    messages.success(request, _("Saved."))
    return redirect("notify:push")
