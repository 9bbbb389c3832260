from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.agreements import waiting as agreements
from mend.checkins import waiting as checkins
from mend.commitments import waiting as commitments
from mend.conversations import waiting as conversations
from mend.couples.context_processors import current_space
from mend.couples.forms import JoinForm
from mend.home import actions
from mend.home.forms import PauseRuleForm, StartersForm
from mend.home.models import FirstRun
from mend.home.starters import MAX_STARTERS
from mend.intimacy import waiting as intimacy
from mend.journal import waiting as journal
from mend.lib.errors import Refused
from mend.lib.waiting import PathTotal, WaitingItem, newest_first
from mend.story import waiting as story

# Each feature that can ask something of a person says what, in the same shape.
WAITING = (agreements, checkins, commitments, conversations, journal, story, intimacy)
PATH = (agreements, checkins, commitments)

# The capabilities a space grows into. Home lists only those that are built (their
# "<slug>:index" URL exists), so it never promises what isn't there.
CAPABILITIES = [
    (
        "agreements",
        gettext_lazy("Agreements"),
        gettext_lazy(
            "Boundaries you both affirm and revisit, a repair when one feels "
            "crossed, and a private yes / no / maybe list."
        ),
    ),
    (
        "commitments",
        gettext_lazy("Commitments"),
        gettext_lazy("Small promises and their follow-through."),
    ),
    (
        "checkins",
        gettext_lazy("Check-ins"),
        gettext_lazy("Short check-ins with each other."),
    ),
    (
        "calendar",
        gettext_lazy("Calendar"),
        gettext_lazy(
            "Your rhythm on one calendar, on your phone too, with reminders if "
            "you want them."
        ),
    ),
    (
        "conversations",
        gettext_lazy("Conversations"),
        gettext_lazy("Structured talks with an agenda and a time box."),
    ),
    (
        "safety",
        gettext_lazy("Pause and grounding"),
        gettext_lazy("A pause signal, cooling off, grounding, trigger notes."),
    ),
    (
        "intimacy",
        gettext_lazy("Intimacy steps"),
        gettext_lazy(
            "A gradual, consent-based return to closeness, and private "
            "check-ins after time together."
        ),
    ),
    (
        "journal",
        gettext_lazy("Journal"),
        gettext_lazy(
            "Entries private to you, unless you choose to share one; your partner "
            "can reply to a shared one."
        ),
    ),
    (
        "story",
        gettext_lazy("Shared meaning"),
        gettext_lazy(
            "Appreciation, what you stand for together, and rituals of connection."
        ),
    ),
    (
        "counselor",
        gettext_lazy("Counselor"),
        gettext_lazy("Invite a counselor to see what you both admit."),
    ),
]


def capability_links() -> list[dict[str, str | None]]:
    """Return the built capabilities, each with its link."""
    links: list[dict[str, str | None]] = []
    for slug, title, blurb in CAPABILITIES:
        try:
            url: str | None = reverse(f"{slug}:index")
        except NoReverseMatch:
            continue
        links.append(
            {"slug": slug, "title": str(title), "blurb": str(blurb), "url": url}
        )
    return links


def next_step(totals: list[PathTotal]) -> dict[str, str]:
    """Return one suggestion for when nothing waits: the first thing not yet done."""
    done = {total.kind: total.count for total in totals}
    if not done.get("agreements"):
        return {
            "text": _("Propose a first agreement, in your own words."),
            "url": reverse("agreements:add_agreement"),
        }
    if not done.get("checkins"):
        return {
            "text": _("Set up a short check-in you both keep."),
            "url": reverse("checkins:index"),
        }
    return {
        "text": _("Tell your partner one thing you appreciated today."),
        "url": reverse("story:index") + "#appreciation",
    }


def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "couples/welcome.html")
    space = current_space(request)
    if space is None:
        return render(request, "couples/no_space.html", {"join_form": JoinForm()})
    user = request.user
    partner = space.partner_of(user)
    items: list[WaitingItem] = []
    for feature in WAITING:
        items += feature.waiting_for(user)
    items = newest_first(items)
    totals = [total for feature in PATH for total in feature.path_totals(user)]
    return render(
        request,
        "home/home.html",
        {
            "partner": partner,
            "for_you": [item for item in items if item.is_yours],
            # Only with a partner in the space: nothing can wait on no one.
            "for_partner": [item for item in items if not item.is_yours]
            if partner
            else [],
            "totals": totals,
            # A quiet strip once there is a path: a new couple isn't shown a row of 0s.
            "has_path": any(total.count for total in totals),
            "next_step": next_step(totals),
            "show_first_run": not FirstRun.objects.is_over_for(user),
            "capabilities": capability_links(),
            "invite_hours": settings.INVITE_HOURS,
        },
    )


@login_required
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1 of 3: agree the pause rule first."""
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    existing = actions.pause_rule(request.user)
    form = PauseRuleForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            actions.propose_pause_rule(space, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("Proposed. Your partner reads and affirms it in their own words."),
            )
            return redirect("home:start_agreements")
    return render(
        request,
        "home/start_pause.html",
        {"form": form, "existing": existing, "step": 1},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def start_agreements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2 of 3: pick up to three starter agreements, in words you can edit."""
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = StartersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_starters(space, request.user, form.chosen())
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("Proposed. Each one comes into force once you have both agreed."),
            )
            return redirect("home:start_reminders")
    return render(
        request,
        "home/start_agreements.html",
        {"form": form, "step": 2, "max_starters": MAX_STARTERS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def start_reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 3 of 3: how to be reminded (the calendar's settings), then done."""
    if request.method == "POST":
        FirstRun.finish(request.user, skipped=False)
        return redirect("home:index")
    return render(request, "home/start_reminders.html", {"step": 3})


@login_required
@require_POST
def skip_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    FirstRun.finish(request.user, skipped=True)
    messages.success(
        request, _("Skipped. Everything in it is also on its own page, when you want.")
    )
    return redirect("home:index")
