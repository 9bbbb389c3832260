import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.models import User
from mend.conversations import actions
from mend.conversations.models import (
    CONVERSATION_KIND,
    DEFAULT_MINUTES,
    LIST_LIMIT,
    Conversation,
    Move,
    Turn,
    recent_words,
    witnesses_of,
)
from mend.couples.models import Space
from mend.lib import coach
from mend.lib.errors import Refused
from mend.privacy.models import record_view

router = Router(tags=["conversations"])


class ProposeIn(Schema):
    topics: list[str] = Field(description="the agenda, one topic each")
    minutes: int = Field(DEFAULT_MINUTES, description="the time box, 10 to 120")
    starts_at: datetime = Field(description="when, with its time zone")


class WordsIn(Schema):
    # A plain string so an empty or over-long one gets our own plain-words refusal.
    text: str = ""


class PauseIn(Schema):
    minutes: int = Field(
        20, description="back to it in this many minutes, 24 h at most"
    )


class OutcomeIn(Schema):
    kind: str = Field(description="agreement, commitment or question")
    text: str = ""
    turn: uuid.UUID | None = None


class CoachIn(Schema):
    text: str = ""
    conversation: str = Field("", description="code of the conversation, if any")


class CoachOut(Schema):
    is_blame: bool
    reasons: list[str]
    suggestion: str
    suggest_pause: bool


class MoveOut(Schema):
    kind: str
    by: str
    is_mine: bool
    text: str
    at: datetime


class TurnOut(Schema):
    code: str
    number: int
    topic: str
    speaker: str
    state: str
    moves: list[MoveOut]


class TopicOut(Schema):
    code: str
    text: str
    is_current: bool
    is_done: bool


class OutcomeOut(Schema):
    code: str
    kind: str
    text: str
    made_code: str | None
    turn: str | None


class NoteOut(Schema):
    code: str
    by: str
    text: str
    at: datetime


class ConversationOut(Schema):
    code: str
    status: str
    proposed_by: str
    minutes: int
    starts_at: datetime
    ends_at: datetime | None = Field(
        description="when the time box runs out, pauses not counted"
    )
    i_said_yes: bool
    partner_said_yes: bool
    floor_is_mine: bool
    paused_until: datetime | None
    topics: list[TopicOut]
    turns: list[TurnOut]
    outcomes: list[OutcomeOut]
    witness_notes: list[NoteOut] = Field(
        description="notes a witness (your counselor) left after the end"
    )
    witnesses: list[str] = Field(
        description="who may follow this conversation as a witness now"
    )


class ConversationListOut(Schema):
    code: str
    status: str
    proposed_by: str
    minutes: int
    starts_at: datetime


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def record_out(
    conversation: Conversation, me_pk: int | None, *, show_made: bool = True
) -> dict[str, Any]:
    """Return what was said, as the API gives it to a partner (ME_PK) and to a
    witness (None: nothing is theirs; SHOW_MADE False: no link to a commitment,
    which another scope governs)."""
    return {
        "topics": [
            TopicOut(
                code=str(t.code),
                text=t.text,
                is_current=t.pk == conversation.topic_id,
                is_done=t.done_at is not None,
            )
            for t in conversation.topic_list()
        ],
        "turns": [
            TurnOut(
                code=str(t.code),
                number=t.number,
                topic=t.topic.text,
                speaker=t.speaker.display_name if t.speaker else "",
                state=t.state,
                moves=[
                    MoveOut(
                        kind=m.kind,
                        by=m.by.display_name,
                        is_mine=m.by_id == me_pk,
                        text=m.text,
                        at=m.at,
                    )
                    for m in t.move_list()
                ],
            )
            for t in conversation.turn_list()
        ],
        "outcomes": [
            OutcomeOut(
                code=str(o.code),
                kind=o.kind,
                text=o.text,
                made_code=str(o.made_code) if o.made_code and show_made else None,
                turn=str(o.turn.code) if o.turn else None,
            )
            for o in conversation.outcome_list()
        ],
        "witness_notes": [
            NoteOut(
                code=str(n.code),
                by=n.author.display_name,
                text=n.text,
                at=n.created_at,
            )
            for n in conversation.note_list()
        ],
    }


def _out(conversation: Conversation, me: User) -> ConversationOut:
    partner = conversation.space.partner_of(me)
    return ConversationOut(
        code=str(conversation.code),
        status=conversation.status,
        proposed_by=conversation.proposed_by.display_name,
        minutes=conversation.minutes,
        starts_at=conversation.starts_at,
        ends_at=conversation.ends_at(),
        i_said_yes=conversation.has_said_yes(me),
        partner_said_yes=partner is not None and conversation.has_said_yes(partner),
        floor_is_mine=conversation.floor_id == me.pk,
        paused_until=conversation.resume_at,
        **record_out(conversation, me.pk),
        witnesses=witnesses_of(conversation.space_id),
    )


def _get(request: HttpRequest, code: uuid.UUID) -> Conversation:
    return get_object_or_404(
        Conversation.objects.for_member(_me(request)).with_record(), code=code
    )


def _show(request: HttpRequest, code: uuid.UUID) -> ConversationOut:
    me = _me(request)
    conversation = _get(request, code)
    partner = conversation.space.partner_of(me)
    if partner is not None:
        record_view(me, conversation, partner.pk, CONVERSATION_KIND)
    return _out(conversation, me)


@router.get("", response=list[ConversationListOut])
def list_conversations(request: HttpRequest) -> list[ConversationListOut]:
    rows = Conversation.objects.for_member(_me(request)).listed()[:LIST_LIMIT]
    return [
        ConversationListOut(
            code=str(c.code),
            status=c.status,
            proposed_by=c.proposed_by.display_name,
            minutes=c.minutes,
            starts_at=c.starts_at,
        )
        for c in rows
    ]


@router.post("", response={201: ConversationOut})
def propose(request: HttpRequest, payload: ProposeIn) -> Status[ConversationOut]:
    me = _me(request)
    space = Space.objects.for_member(me).prefetch_related("memberships__user").first()
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    conversation = actions.propose(
        space,
        me,
        topics=payload.topics,
        minutes=payload.minutes,
        starts_at=payload.starts_at,
    )
    return Status(201, _show(request, conversation.code))


# Before "/{code}", which would take "coach" for a code.
@router.post("/coach", response=CoachOut)
def coach_endpoint(request: HttpRequest, payload: CoachIn) -> CoachOut:
    """The private coach's note on a text being written: for its writer only.

    Nothing is stored and nothing reaches the partner.
    """
    me = _me(request)
    advice = coach.check(payload.text)
    return CoachOut(
        is_blame=advice.is_blame,
        reasons=coach.reason_labels(advice.reasons),
        suggestion=advice.suggestion,
        suggest_pause=advice.is_blame
        and coach.is_escalating(recent_words(me, payload.conversation), payload.text),
    )


@router.get("/{code}", response=ConversationOut)
def get_conversation(request: HttpRequest, code: uuid.UUID) -> ConversationOut:
    return _show(request, code)


@router.post("/{code}/topics", response=ConversationOut)
def add_topic(
    request: HttpRequest, code: uuid.UUID, payload: WordsIn
) -> ConversationOut:
    actions.add_topic(_get(request, code), _me(request), payload.text)
    return _show(request, code)


SIMPLE: dict[str, Callable[[Conversation, User], object]] = {
    "accept": actions.accept,
    "decline": actions.decline,
    "start": actions.start,
    "next-topic": actions.next_topic,
    "resume": actions.resume,
    "end": actions.end,
}


def _simple(name: str) -> None:
    def endpoint(request: HttpRequest, code: uuid.UUID) -> ConversationOut:
        SIMPLE[name](_get(request, code), _me(request))
        return _show(request, code)

    endpoint.__name__ = f"{name.replace('-', '_')}_conversation"
    router.post(f"/{{code}}/{name}", response=ConversationOut)(endpoint)


for _name in SIMPLE:
    _simple(_name)


@router.post("/{code}/points", response=ConversationOut)
def say_point(
    request: HttpRequest, code: uuid.UUID, payload: WordsIn
) -> ConversationOut:
    actions.say_point(_get(request, code), _me(request), payload.text)
    return _show(request, code)


@router.post("/{code}/pause", response=ConversationOut)
def pause(request: HttpRequest, code: uuid.UUID, payload: PauseIn) -> ConversationOut:
    actions.pause(_get(request, code), _me(request), payload.minutes)
    return _show(request, code)


def _turn(request: HttpRequest, conversation: Conversation, turn: uuid.UUID) -> Turn:
    return get_object_or_404(
        Turn.objects.for_member(_me(request)).filter(conversation=conversation),
        code=turn,
    )


STEPS: dict[str, tuple[str, Callable[..., Turn], bool]] = {
    "reflect": (Move.Kind.REFLECTION, actions.reflect, True),
    "confirm": (Move.Kind.CONFIRMATION, actions.confirm, False),
    "clarify": (Move.Kind.CLARIFICATION, actions.clarify, True),
    "validate": (Move.Kind.VALIDATION, actions.validate, True),
    "pass": (Move.Kind.PASS, actions.pass_floor, False),
}


def _step(name: str) -> None:
    _kind, act, with_words = STEPS[name]

    def endpoint(
        request: HttpRequest, code: uuid.UUID, turn_code: uuid.UUID, payload: WordsIn
    ) -> ConversationOut:
        conversation = _get(request, code)
        the_turn = _turn(request, conversation, turn_code)
        if with_words:
            act(conversation, the_turn, _me(request), payload.text)
        else:
            act(conversation, the_turn, _me(request))
        return _show(request, code)

    endpoint.__name__ = f"{name}_turn"
    router.post(f"/{{code}}/turns/{{turn_code}}/{name}", response=ConversationOut)(
        endpoint
    )


for _name in STEPS:
    _step(_name)


@router.post("/{code}/outcomes", response={201: ConversationOut})
def add_outcome(
    request: HttpRequest, code: uuid.UUID, payload: OutcomeIn
) -> Status[ConversationOut]:
    conversation = _get(request, code)
    turn = _turn(request, conversation, payload.turn) if payload.turn else None
    actions.make_outcome(
        conversation, _me(request), kind=payload.kind, text=payload.text, turn=turn
    )
    return Status(201, _show(request, code))
