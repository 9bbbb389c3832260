from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.calendar.models import Feed, feed_url, ical, revoke, upcoming
from mend.checkins.models import due_for
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.notify.models import TOPICS, email_is_configured, email_topics, set_email


def _page(request: AuthenticatedHttpRequest, secret: str | None = None) -> HttpResponse:
    user = request.user
    chosen = email_topics(user)
    context = {
        "upcoming": upcoming(user, timezone.now()),
        "due": due_for(user),
        "has_feed": Feed.objects.filter(user=user).live().exists(),
        "feed_url": feed_url(secret) if secret else None,
        "topics": [(topic, label, topic in chosen) for topic, label in TOPICS.items()],
        "email_ready": email_is_configured(),
        "has_email": bool(user.email),
    }
    return render(request, "calendar/index.html", context)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    return _page(request)


@login_required
@require_POST
def new_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new secret address; the earlier one stops working at once."""
    _feed, secret = Feed.issue(request.user)
    messages.success(
        request,
        _(
            "Here is your new address. It is shown once; any earlier one stopped working."
        ),
    )
    return _page(request, secret=secret)


@login_required
@require_POST
def revoke_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    revoke(request.user)
    messages.success(request, _("Your calendar address stopped working."))
    return redirect("calendar:index")


@login_required
@require_POST
def set_reminder(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        set_email(
            request.user,
            request.POST.get("topic", ""),
            request.POST.get("email") == "on",
        )
    except Refused as e:
        messages.error(request, str(e))
        return redirect("calendar:index")
    messages.success(request, _("Saved."))
    return redirect("calendar:index")


@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The iCalendar feed: its secret address is the only key. Revoked: 410."""
    found = Feed.find(secret)
    if found is None:
        return HttpResponse(
            _("No calendar here."), status=404, content_type="text/plain"
        )
    if found.revoked_at is not None:
        return HttpResponse(
            _("This calendar address was turned off."),
            status=410,
            content_type="text/plain",
        )
    # A phone's calendar app sends no useful Accept-Language: the owner's choice decides.
    with translation.override(found.user.speaks):
        body = ical(found.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mend.ics"'
    return response
