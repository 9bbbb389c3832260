from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.agreements.models import CrossingReport
from mend.conversations import actions
from mend.conversations.forms import OutcomeForm, PauseForm, ProposeForm, WordsForm
from mend.conversations.models import (
    CONVERSATION_KIND,
    LIST_LIMIT,
    Conversation,
    Move,
    Outcome,
    Turn,
    recent_words,
    witnesses_of,
)
from mend.couples.context_processors import current_space
from mend.lib import coach
from mend.lib.errors import Refused
from mend.privacy.models import record_view


def _is_htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    mine = Conversation.objects.for_member(request.user)
    return render(
        request,
        "conversations/index.html",
        {
            "conversations": list(mine.listed()[:LIST_LIMIT]),
            "questions": list(
                Outcome.objects.for_member(request.user).questions()[:LIST_LIMIT]
            ),
        },
    )


def _report(request: AuthenticatedHttpRequest, code: str) -> CrossingReport | None:
    if not code:
        return None
    try:
        return get_object_or_404(
            CrossingReport.objects.for_member(request.user), code=code
        )
    except (ValueError, ValidationError) as e:  # not a UUID
        raise Http404 from e


@login_required
def propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    report = _report(request, request.GET.get("about", ""))
    initial = {}
    if report is not None:
        initial["topics"] = _("Talking more about what happened")
    form = ProposeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conversation = actions.propose(
                    space,
                    request.user,
                    topics=form.topic_lines(),
                    minutes=form.cleaned_data["minutes"],
                    starts_at=form.cleaned_data["starts_at"],
                    about_report=report,
                )
            except Refused as e:
                form.add_error(None, str(e))
            else:
                return redirect("conversations:conversation", code=conversation.code)
        status = 400
    return render(
        request,
        "conversations/propose.html",
        {"form": form, "report": report},
        status=status,
    )


def _conversation(request: AuthenticatedHttpRequest, code: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.for_member(request.user).with_record(), code=code
    )


def _context(
    request: AuthenticatedHttpRequest,
    conversation: Conversation,
    error: str = "",
    draft: dict[str, str] | None = None,
    outcome_form: OutcomeForm | None = None,
) -> dict[str, Any]:
    me = request.user
    partner = conversation.space.partner_of(me)
    # Everything in it is shared by nature; a look by the partner is logged.
    if partner is not None:
        record_view(me, conversation, partner.pk, CONVERSATION_KIND)
    turn = conversation.open_turn()
    return {
        "conversation": conversation,
        "topics": conversation.topic_list(),
        "turns": conversation.turn_list(),
        "outcomes": conversation.outcome_list(),
        "notes": conversation.note_list(),
        # Said plainly on the page: who can follow it as a witness right now.
        "witnesses": witnesses_of(conversation.space_id),
        "turn": turn,
        "me": me,
        "partner": partner,
        "said_yes": conversation.has_said_yes(me),
        "partner_said_yes": partner is not None and conversation.has_said_yes(partner),
        "can_resume": conversation.can_resume(me),
        "pause_form": PauseForm(),
        "outcome_form": outcome_form or OutcomeForm(),
        "error": error,
        # What was typed, refused: back in its own field, whole (kind and text).
        "draft": draft or {},
    }


def _render(
    request: AuthenticatedHttpRequest,
    code: str,
    error: str = "",
    status: int = 200,
    **kept: Any,
) -> HttpResponse:
    conversation = _conversation(request, code)
    context = _context(request, conversation, error, **kept)
    if _is_htmx(request):
        # htmx swaps only a 200: the fragment carries the error and the words.
        return render(request, "conversations/_conversation.html", context)
    return render(request, "conversations/conversation.html", context, status=status)


@login_required
def conversation(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _render(request, code)


def _after(
    request: AuthenticatedHttpRequest,
    code: str,
    act: Callable[[], Any],
    kind: str = "",
    outcome_form: OutcomeForm | None = None,
) -> HttpResponse:
    """Run ACT; on a refusal, the conversation again with why and what was typed.

    KIND names the field the words came from (point, reflection, topic...).
    """
    try:
        act()
    except Refused as e:
        draft = {"kind": kind, "text": str(request.POST.get("text", ""))}
        return _render(
            request, code, str(e), 400, draft=draft, outcome_form=outcome_form
        )
    if _is_htmx(request):
        return _render(request, code)
    return redirect("conversations:conversation", code=code)


def _words(request: AuthenticatedHttpRequest) -> str:
    form = WordsForm(request.POST)
    form.is_valid()
    return str(form.cleaned_data.get("text", ""))


SIMPLE = {
    "accept": actions.accept,
    "decline": actions.decline,
    "start": actions.start,
    "next-topic": actions.next_topic,
    "resume": actions.resume,
    "end": actions.end,
}


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, code: str, action: str) -> HttpResponse:
    if action not in SIMPLE:
        raise Http404
    item = _conversation(request, code)
    return _after(request, code, lambda: SIMPLE[action](item, request.user))


@login_required
@require_POST
def add_topic(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _conversation(request, code)
    return _after(
        request,
        code,
        lambda: actions.add_topic(item, request.user, _words(request)),
        "topic",
    )


@login_required
@require_POST
def say(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _conversation(request, code)
    return _after(
        request,
        code,
        lambda: actions.say_point(item, request.user, _words(request)),
        Move.Kind.POINT,
    )


STEPS: dict[str, Callable[..., Turn]] = {
    Move.Kind.REFLECTION: actions.reflect,
    Move.Kind.CLARIFICATION: actions.clarify,
    Move.Kind.VALIDATION: actions.validate,
}
WORDLESS: dict[str, Callable[..., Turn]] = {
    Move.Kind.CONFIRMATION: actions.confirm,
    Move.Kind.PASS: actions.pass_floor,
}


def _turn(request: AuthenticatedHttpRequest, item: Conversation, turn: str) -> Turn:
    return get_object_or_404(
        Turn.objects.for_member(request.user).filter(conversation=item), code=turn
    )


@login_required
@require_POST
def step(
    request: AuthenticatedHttpRequest, code: str, turn_code: str, kind: str
) -> HttpResponse:
    if kind not in STEPS and kind not in WORDLESS:
        raise Http404
    item = _conversation(request, code)
    the_turn = _turn(request, item, turn_code)
    if kind in STEPS:
        return _after(
            request,
            code,
            lambda: STEPS[kind](item, the_turn, request.user, _words(request)),
            kind,
        )
    return _after(request, code, lambda: WORDLESS[kind](item, the_turn, request.user))


@login_required
@require_POST
def pause(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _conversation(request, code)
    form = PauseForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else -1
    return _after(request, code, lambda: actions.pause(item, request.user, minutes))


@login_required
@require_POST
def add_outcome(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _conversation(request, code)
    form = OutcomeForm(request.POST)

    def make() -> None:
        if not form.is_valid():
            raise Refused(
                _("Choose an agreement proposal or a question to come back to.")
            )
        turn = form.cleaned_data["turn"]
        actions.make_outcome(
            item,
            request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            turn=_turn(request, item, str(turn)) if turn else None,
        )

    return _after(request, code, make, outcome_form=form)


@login_required
@require_POST
def coach_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Return the coach's note on the text being typed: to its writer, and only them.

    Nothing is stored and nothing reaches the partner.
    """
    # Any writing form can ask: it names its field, or the field is "text".
    field = request.POST.get("field", "text")
    text = request.POST.get(field, "")
    advice = coach.check(text)
    escalating = advice.is_blame and coach.is_escalating(
        recent_words(request.user, request.POST.get("conversation", "")), text
    )
    return render(
        request,
        "conversations/_coach.html",
        {
            "advice": advice,
            "reasons": coach.reason_labels(advice.reasons),
            "escalating": escalating,
            "field": field,
        },
    )
