from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.agreements.models import Agreement, AgreementEvent, Category, CrossingReport
from mend.commitments.models import Commitment, Words
from mend.conversations.models import (
    MAX_TOPIC,
    MAX_TOPICS,
    Conversation,
    Move,
    Outcome,
    Topic,
    Turn,
    WitnessNote,
    clean_words,
)
from mend.couples.models import Space
from mend.lib.dates import check_moment
from mend.lib.errors import Refused
from mend.lib.pace import check_pace
from mend.live.actions import record_event
from mend.live.models import Event
from mend.notify.models import Reminder, notify_on_commit

# Per person, per minute (docs/security.md): every step is pushed live.
PROPOSALS_PER_MINUTE = 5
MOVES_PER_MINUTE = 20


def _changed(conversation: Conversation, by: User, change: str) -> None:
    record_event(
        conversation.space_id, by, Event.Types.CONVERSATION, conversation.code, change
    )


def _lock(conversation: Conversation) -> None:
    # Read again under a row lock: both partners at once, or a double click, are
    # decided one after the other on what the first one wrote.
    conversation.refresh_from_db(from_queryset=Conversation.objects.select_for_update())


def _topics(conversation: Conversation) -> list[Topic]:
    return list(Topic.objects.filter(conversation=conversation).order_by("order", "pk"))


def _check_topic(text: str) -> str:
    return clean_words(text, _("topic"), MAX_TOPIC)


@transaction.atomic
def propose(
    space: Space,
    by: User,
    *,
    topics: list[str],
    minutes: int,
    starts_at: datetime,
    about_report: CrossingReport | None = None,
) -> Conversation:
    """Propose a conversation; proposing is the proposer's yes to its agenda."""
    cleaned = [_check_topic(t) for t in topics if (t or "").strip()]
    if not cleaned:
        raise Refused(_("Please name at least one topic for the agenda."))
    if len(cleaned) > MAX_TOPICS:
        raise Refused(
            _("An agenda can hold at most %(n)d topics: one at a time goes further.")
            % {"n": MAX_TOPICS}
        )
    Conversation.check_minutes(minutes)
    starts_at = check_moment(starts_at)
    if space.partner_of(by) is None:
        raise Refused(_("A conversation needs your partner in the space."), status=409)
    check_pace(
        by,
        Conversation.objects.filter(proposed_by=by),
        limit=PROPOSALS_PER_MINUTE,
    )
    conversation = Conversation(
        space=space,
        proposed_by=by,
        minutes=minutes,
        starts_at=starts_at,
        about_report=about_report,
    )
    conversation.agenda_changed(by, cleaned)
    conversation.save()
    Topic.objects.bulk_create(
        [
            Topic(space=space, conversation=conversation, added_by=by, text=t, order=i)
            for i, t in enumerate(cleaned)
        ]
    )
    _changed(conversation, by, "proposed")
    if partner := space.partner_of(by):
        # Waits for the partner's yes; reaches them only if they turned Web Push on.
        key = f"conversation:{conversation.code}:proposed"
        notify_on_commit(Reminder(user=partner, topic="waiting", key=key, path="/"))
    return conversation


@transaction.atomic
def add_topic(conversation: Conversation, by: User, text: str) -> Topic:
    """Add a topic; the partner's yes was to the old agenda, so they say it again."""
    text = _check_topic(text)
    _lock(conversation)
    conversation._refuse_unless_open()
    topics = _topics(conversation)
    if len(topics) >= MAX_TOPICS:
        raise Refused(
            _("An agenda can hold at most %(n)d topics: one at a time goes further.")
            % {"n": MAX_TOPICS}
        )
    topic = Topic.objects.create(
        space_id=conversation.space_id,
        conversation=conversation,
        added_by=by,
        text=text,
        order=len(topics),
    )
    conversation.agenda_changed(by, [t.text for t in [*topics, topic]])
    conversation.save()
    _changed(conversation, by, "agenda")
    return topic


@transaction.atomic
def accept(conversation: Conversation, by: User) -> Conversation:
    _lock(conversation)
    conversation.accept(by)
    conversation.save()
    _changed(conversation, by, "accepted")
    return conversation


@transaction.atomic
def decline(conversation: Conversation, by: User) -> Conversation:
    _lock(conversation)
    conversation.decline(by)
    conversation.save()
    _changed(conversation, by, "declined")
    return conversation


@transaction.atomic
def start(conversation: Conversation, by: User) -> Conversation:
    _lock(conversation)
    topics = _topics(conversation)
    conversation.start(by, topics[0])
    conversation.save()
    _changed(conversation, by, "started")
    return conversation


def _check_moves(by: User) -> None:
    check_pace(by, Move.objects.filter(by=by), limit=MOVES_PER_MINUTE, field="at")


def _move(turn: Turn, by: User, kind: str, text: str = "") -> Move:
    return Move.objects.create(
        space_id=turn.space_id, turn=turn, by=by, kind=kind, text=text
    )


@transaction.atomic
def say_point(conversation: Conversation, by: User, text: str) -> Turn:
    """The speaker, holding the floor, makes a short point: a new turn begins."""
    text = clean_words(text, _("point"))
    _lock(conversation)
    conversation.check_point(by)
    _check_moves(by)
    listener = conversation.space.partner_of(by)
    if listener is None or conversation.topic_id is None:
        raise Refused(_("This conversation isn't under way."), status=409)
    last = Turn.objects.filter(conversation=conversation).order_by("-number").first()
    turn = Turn.objects.create(
        space_id=conversation.space_id,
        conversation=conversation,
        topic_id=conversation.topic_id,
        number=(last.number + 1) if last else 1,
        speaker=by,
        listener=listener,
    )
    _move(turn, by, Move.Kind.POINT, text)
    conversation.turn = turn
    conversation.save(update_fields=["turn"])
    _changed(conversation, by, "point")
    return turn


def _turn_step(
    conversation: Conversation, turn: Turn, by: User, kind: str, text: str = ""
) -> Turn:
    _lock(conversation)
    turn.refresh_from_db(from_queryset=Turn.objects.select_for_update())
    conversation.check_turn(turn)
    getattr(turn, _STEPS[kind])(by)
    _check_moves(by)
    turn.save(update_fields=["state"])
    _move(turn, by, kind, text)
    if kind == Move.Kind.PASS:
        conversation.pass_floor(turn)
        conversation.save(update_fields=["floor"])
    _changed(conversation, by, kind)
    return turn


_STEPS: dict[str, str] = {
    Move.Kind.REFLECTION: "reflect",
    Move.Kind.CONFIRMATION: "confirm",
    Move.Kind.CLARIFICATION: "clarify",
    Move.Kind.VALIDATION: "validate",
    Move.Kind.PASS: "pass_floor",
}


@transaction.atomic
def reflect(conversation: Conversation, turn: Turn, by: User, text: str) -> Turn:
    """The listener says back what they heard, in their own words."""
    text = clean_words(text, _("reflection"))
    return _turn_step(conversation, turn, by, Move.Kind.REFLECTION, text)


@transaction.atomic
def confirm(conversation: Conversation, turn: Turn, by: User) -> Turn:
    """The speaker: "yes, that's it"."""
    return _turn_step(conversation, turn, by, Move.Kind.CONFIRMATION)


@transaction.atomic
def clarify(conversation: Conversation, turn: Turn, by: User, text: str) -> Turn:
    """The speaker says what they meant; the listener reflects again."""
    text = clean_words(text, _("clarification"))
    return _turn_step(conversation, turn, by, Move.Kind.CLARIFICATION, text)


@transaction.atomic
def validate(conversation: Conversation, turn: Turn, by: User, text: str) -> Turn:
    """The listener says what makes sense to them (not that they agree)."""
    text = clean_words(text, _("validation"))
    return _turn_step(conversation, turn, by, Move.Kind.VALIDATION, text)


@transaction.atomic
def pass_floor(conversation: Conversation, turn: Turn, by: User) -> Turn:
    return _turn_step(conversation, turn, by, Move.Kind.PASS)


@transaction.atomic
def next_topic(conversation: Conversation, by: User) -> Topic:
    _lock(conversation)
    topic = conversation.next_topic(_topics(conversation))
    if conversation.topic_id is not None:
        Topic.objects.filter(pk=conversation.topic_id).update(done_at=timezone.now())
    conversation.topic = topic
    conversation.save(update_fields=["topic"])
    _changed(conversation, by, "topic")
    return topic


@transaction.atomic
def pause(conversation: Conversation, by: User, minutes: int) -> Conversation:
    _lock(conversation)
    conversation.pause(by, minutes)
    conversation.save()
    _changed(conversation, by, "paused")
    return conversation


@transaction.atomic
def resume(conversation: Conversation, by: User) -> Conversation:
    _lock(conversation)
    conversation.resume(by)
    conversation.save()
    _changed(conversation, by, "resumed")
    return conversation


@transaction.atomic
def end(conversation: Conversation, by: User) -> Conversation:
    _lock(conversation)
    conversation.end(by)
    conversation.save()
    _changed(conversation, by, "ended")
    return conversation


def end_for_leaver(user: User, space_id: int) -> None:
    """End the conversations under way or waiting in the space USER is leaving.

    Registered with privacy.leaving: whoever leaves does so at once, and nothing
    of theirs is left waiting for the partner's yes.
    """
    waiting = Conversation.objects.filter(
        space_id=space_id,
        status__in=[
            Conversation.Status.PROPOSED,
            Conversation.Status.READY,
            Conversation.Status.RUNNING,
            Conversation.Status.PAUSED,
        ],
    )
    for conversation in waiting:
        conversation.end(user)
        conversation.save()
        _changed(conversation, user, "ended")


@transaction.atomic
def make_outcome(
    conversation: Conversation,
    by: User,
    *,
    kind: str,
    text: str,
    turn: Turn | None = None,
) -> Outcome:
    """Turn what was said into an agreement proposal, a commitment BY makes, or a
    question to come back to.

    Each links back to the conversation (this module imports the features it
    composes, never the other way). A commitment made here is a one-off for today on
    BY's clock; its maker can give it a schedule, with the partner's yes, like any.
    """
    if kind not in Outcome.Kind.values:
        raise Refused(
            _(
                "Choose an agreement proposal, a commitment or a question to come "
                "back to."
            )
        )
    text = clean_words(text, _("outcome"), 2000)
    _lock(conversation)
    conversation.check_outcome()
    if turn is not None and turn.conversation_id != conversation.pk:
        raise Refused(_("That turn belongs to another conversation."))
    _check_moves(by)
    made = None
    if kind == Outcome.Kind.AGREEMENT:
        agreement = Agreement.propose(
            conversation.space, by, category=Category.OTHER, text=text
        )
        # The agreement's history links back to where it came from.
        AgreementEvent.objects.filter(
            agreement=agreement, kind=AgreementEvent.Kind.PROPOSED
        ).update(note=f"conversation:{conversation.code}")
        made = agreement.code
    elif kind == Outcome.Kind.COMMITMENT:
        commitment = Commitment.make(
            conversation.space,
            by,
            Words(text=text),
            came_from=("conversation", conversation.code),
        )
        made = commitment.code
    outcome = Outcome.objects.create(
        space_id=conversation.space_id,
        conversation=conversation,
        turn=turn,
        by=by,
        kind=kind,
        text=text,
        made_code=made,
    )
    _changed(conversation, by, "outcome")
    return outcome


@transaction.atomic
def add_witness_note(conversation: Conversation, by: User, words: str) -> WitnessNote:
    """Keep a witness's note on an ended conversation, and show it to both partners.

    The caller has decided that BY may witness (mend/counselor checks the admission
    and the scope); the conversation decides when and how much.
    """
    _lock(conversation)
    note = conversation.add_witness_note(by, words)
    _changed(conversation, by, "note")
    return note
