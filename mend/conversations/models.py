"""Structured conversations: speaker and listener, an agenda, a time box, a pause.

Rules enforced here:
- Both partners say yes to the agenda before a conversation starts. A yes belongs to
  the agenda it was given to: adding a topic clears the other partner's yes (the one
  who added it says yes to the new agenda by adding it). Either may decline, without
  giving a reason.
- The speaker holds the floor and makes a short point; the listener reflects it back;
  the speaker confirms or clarifies (then the listener reflects again); only after a
  confirmation may the listener validate, and only after that does the floor pass.
  One topic at a time; outcomes (plans) only once the conversation has ended.
- A pause belongs to whoever asked for it: only they resume before the return time;
  at or after it either may, and the conversation picks up where it stopped.
- Everything said is shared by nature, so it is stored readable by the server (like
  reports and repairs, docs/security.md); every view by the partner is logged.
- A witness (the couple's counselor, when both partners let them see conversation
  records: mend/counselor decides who) never holds the floor and adds nothing while
  it runs: once it has ended, each witness may leave one short note (WitnessNote).
  This app knows witnesses only through witnesses_of, which the counselor app
  registers from its AppConfig: the import runs from counselor to here, never back.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from mend.accounts.models import User
from mend.consent.models import words_digest
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib import coach
from mend.lib.agenda import CalendarItem
from mend.lib.dates import BoundedDateTimeField, check_moment
from mend.lib.errors import Refused
from mend.lib.recurrence import Schedule, zone_or_utc

MIN_MINUTES = 10
MAX_MINUTES = 120
DEFAULT_MINUTES = 30
MAX_TOPICS = 10
MAX_TOPIC = 200
# "A sentence or two": long enough for that, short enough to stay a turn.
MAX_SAY = 600
PAUSE_MINUTES = 20
# The pause rule: agree the return before separating, never more than a day away.
MAX_PAUSE = timedelta(hours=24)
CONVERSATION_KIND = gettext_lazy("conversation")
# Lists show the newest this many; older ones stay in the export.
LIST_LIMIT = 50
# A witness's note at the end: a few sentences, not a session's worth.
MAX_NOTE = 1000


def clean_words(value: str, label: StrOrPromise, limit: int = MAX_SAY) -> str:
    """Return VALUE trimmed, or refuse it when empty or longer than LIMIT."""
    value = (value or "").strip()
    if not value:
        raise Refused(_("Please write the %(label)s first.") % {"label": label})
    if len(value) > limit:
        raise Refused(
            _(
                "The %(label)s can be at most %(max)d characters (this one has "
                "%(n)d). A sentence or two is plenty; the rest can be the next turn."
            )
            % {"label": label, "max": limit, "n": len(value)}
        )
    return value


class ConversationQuerySet(SpaceOwnedQuerySet["Conversation"]):
    def listed(self) -> "ConversationQuerySet":
        return self.select_related("proposed_by").order_by("-created_at", "-pk")

    def with_record(self) -> "ConversationQuerySet":
        """Prefetch everything a conversation page shows, in a fixed few queries."""
        record = self.select_related(
            "proposed_by",
            "floor",
            "topic",
            "turn",
            "paused_by",
            "declined_by",
            "about_report",
        )
        # One Prefetch a call: django-stubs can't type a mix of querysets in one.
        return (
            record.prefetch_related(
                Prefetch("topics", queryset=Topic.objects.select_related("added_by"))
            )
            .prefetch_related(
                Prefetch(
                    "turns",
                    queryset=Turn.objects.select_related(
                        "speaker", "listener", "topic"
                    ),
                )
            )
            .prefetch_related(
                Prefetch("turns__moves", queryset=Move.objects.select_related("by"))
            )
            .prefetch_related(
                Prefetch(
                    "outcomes", queryset=Outcome.objects.select_related("by", "turn")
                )
            )
            .prefetch_related(
                Prefetch(
                    "witness_notes",
                    queryset=WitnessNote.objects.select_related("author"),
                )
            )
            .prefetch_related("space__memberships__user")
        )


class Conversation(SpaceOwned):
    """A speaker-listener conversation with an agenda, a time box and a time."""

    author_field = "proposed_by"
    export_labels = {
        "minutes": gettext_lazy("Time box in minutes"),
        "starts_at": gettext_lazy("Planned for"),
        "status": gettext_lazy("Where it stands"),
        "started_at": gettext_lazy("Started"),
        "ended_at": gettext_lazy("Ended"),
    }

    class Status(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("Waiting for both to say yes")
        READY = "ready", gettext_lazy("Both said yes")
        DECLINED = "declined", gettext_lazy("Not this time")
        RUNNING = "running", gettext_lazy("Under way")
        PAUSED = "paused", gettext_lazy("Paused")
        ENDED = "ended", gettext_lazy("Ended")

    proposed_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField(default=DEFAULT_MINUTES)
    starts_at = BoundedDateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # Each yes is bound to the digest of the agenda it was given to.
    agenda_digest = models.CharField(max_length=64)
    proposer_yes = models.CharField(max_length=64, blank=True)
    partner_yes = models.CharField(max_length=64, blank=True)
    declined_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who holds the floor, on which topic, and the turn under way (or just passed).
    floor = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        "Topic", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    turn = models.ForeignKey(
        "Turn", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paused_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    resume_at = BoundedDateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    # A repair's "talk more" opens a conversation about it (agreements, #15).
    about_report = models.ForeignKey(
        "agreements.CrossingReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"conversation {self.code}"

    # Reading

    def topic_list(self) -> list["Topic"]:
        return sorted(self.topics.all(), key=lambda t: (t.order, t.pk))

    def turn_list(self) -> list["Turn"]:
        return sorted(self.turns.all(), key=lambda t: t.number)

    def outcome_list(self) -> list["Outcome"]:
        return sorted(self.outcomes.all(), key=lambda o: (o.created_at, o.pk))

    def note_list(self) -> list["WitnessNote"]:
        return sorted(self.witness_notes.all(), key=lambda n: (n.created_at, n.pk))

    def has_note_by(self, user: User) -> bool:
        return any(n.author_id == user.pk for n in self.witness_notes.all())

    def listener_for(self, speaker: User | None) -> User | None:
        if speaker is None:
            return None
        return self.space.partner_of(speaker)

    def has_said_yes(self, user: User) -> bool:
        yes = self.proposer_yes if user.pk == self.proposed_by_id else self.partner_yes
        return yes == self.agenda_digest

    def is_open(self) -> bool:
        """Return whether the agenda can still change: before the start."""
        return self.status in (self.Status.PROPOSED, self.Status.READY)

    def is_live(self) -> bool:
        return self.status in (self.Status.RUNNING, self.Status.PAUSED)

    def open_turn(self) -> "Turn | None":
        turn = self.turn
        return turn if turn is not None and turn.state != Turn.State.PASSED else None

    def ends_at(self) -> datetime | None:
        """Return when the time box runs out, pauses not counted; None before start."""
        if self.started_at is None:
            return None
        paused = self.paused_seconds
        if self.paused_at is not None:
            paused += int((timezone.now() - self.paused_at).total_seconds())
        return self.started_at + timedelta(minutes=self.minutes, seconds=paused)

    def can_resume(self, user: User) -> bool:
        if self.status != self.Status.PAUSED:
            return False
        if user.pk == self.paused_by_id:
            return True
        return self.resume_at is None or timezone.now() >= self.resume_at

    # The agenda and the two yeses

    @staticmethod
    def check_minutes(minutes: int) -> None:
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise Refused(
                _("Choose a time box between %(low)s and %(high)s minutes.")
                % {"low": MIN_MINUTES, "high": MAX_MINUTES}
            )

    def _digest(self, topics: list[str]) -> str:
        return words_digest(str(self.minutes), self.starts_at.isoformat(), *topics)

    def _refuse_unless_open(self) -> None:
        if not self.is_open():
            raise Refused(
                _("This conversation has already started, ended or been declined."),
                status=409,
            )

    def _say_yes(self, user: User) -> None:
        if user.pk == self.proposed_by_id:
            self.proposer_yes = self.agenda_digest
        else:
            self.partner_yes = self.agenda_digest
        both = self.proposer_yes == self.partner_yes == self.agenda_digest
        self.status = self.Status.READY if both else self.Status.PROPOSED

    def agenda_changed(self, by: User, topics: list[str]) -> None:
        """Bind the agenda to TOPICS: the other partner's yes no longer counts."""
        self.agenda_digest = self._digest(topics)
        self._say_yes(by)

    def accept(self, by: User) -> None:
        self._refuse_unless_open()
        if self.has_said_yes(by):
            raise Refused(
                _("You have already said yes to this agenda."),
                status=409,
            )
        self._say_yes(by)

    def decline(self, by: User) -> None:
        """Say no to this conversation. No reason is asked for, and none is shown."""
        self._refuse_unless_open()
        self.status = self.Status.DECLINED
        self.declined_by = by
        self.declined_at = timezone.now()

    def start(self, by: User, first_topic: "Topic") -> None:
        if self.status == self.Status.PROPOSED:
            raise Refused(
                _("You both need to say yes to the agenda before you start."),
                status=409,
            )
        self._refuse_unless_open()
        self.status = self.Status.RUNNING
        self.started_at = timezone.now()
        # Whoever raised it speaks first; the floor then takes turns.
        self.floor_id = self.proposed_by_id
        self.topic = first_topic

    # Taking turns

    def _refuse_unless_running(self) -> None:
        if self.status == self.Status.PAUSED:
            raise Refused(
                _("This conversation is paused. It picks up where it stopped."),
                status=409,
            )
        if self.status != self.Status.RUNNING:
            raise Refused(_("This conversation isn't under way."), status=409)

    def check_point(self, by: User) -> None:
        """Refuse a new point unless BY holds the floor and no turn is under way."""
        self._refuse_unless_running()
        if by.pk != self.floor_id:
            raise Refused(
                _(
                    "Your partner holds the floor right now. Listen, reflect back "
                    "what you hear, and the floor passes to you after."
                ),
                status=409,
            )
        if self.open_turn() is not None:
            raise Refused(
                _("Finish this turn first: it passes the floor when it's done."),
                status=409,
            )

    def check_turn(self, turn: "Turn") -> None:
        """Refuse a step on TURN unless it is the turn under way."""
        self._refuse_unless_running()
        if turn.pk != self.turn_id or turn.state == Turn.State.PASSED:
            raise Refused(
                _("That turn is over; this page was out of date. It shows now."),
                status=409,
            )

    def pass_floor(self, turn: "Turn") -> None:
        self.floor_id = turn.listener_id

    def next_topic(self, topics: list["Topic"]) -> "Topic":
        self._refuse_unless_running()
        if self.open_turn() is not None:
            raise Refused(
                _("Finish this turn first; then you can move to the next topic."),
                status=409,
            )
        ahead = [t for t in topics if t.done_at is None and t.pk != self.topic_id]
        if not ahead:
            raise Refused(
                _("That was the last topic. You can end the conversation."),
                status=409,
            )
        return ahead[0]

    # Pausing and ending

    def pause(self, by: User, minutes: int) -> None:
        self._refuse_unless_running()
        if not 1 <= minutes <= MAX_PAUSE.total_seconds() // 60:
            raise Refused(_("Choose a return time within the next 24 hours."))
        now = timezone.now()
        self.status = self.Status.PAUSED
        self.paused_by = by
        self.paused_at = now
        self.resume_at = check_moment(now + timedelta(minutes=minutes))

    def resume(self, by: User) -> None:
        """Pick up where it stopped: at or after the return time, or by the pauser."""
        if self.status != self.Status.PAUSED:
            raise Refused(_("This conversation isn't paused."), status=409)
        if not self.can_resume(by):
            raise Refused(
                _(
                    "This pause is your partner's. It ends at the return time you "
                    "agreed, or sooner if they are ready."
                ),
                status=409,
            )
        assert self.paused_at is not None
        now = timezone.now()
        self.paused_seconds += int((now - self.paused_at).total_seconds())
        self.status = self.Status.RUNNING
        self.paused_at = None
        self.resume_at = None
        self.paused_by = None

    def end(self, by: User) -> None:
        """Either partner may stop, at any time, from any point of the conversation."""
        if not (self.is_live() or self.is_open()):
            raise Refused(_("This conversation has already ended."), status=409)
        now = timezone.now()
        if self.paused_at is not None:
            self.paused_seconds += int((now - self.paused_at).total_seconds())
            self.paused_at = None
            self.resume_at = None
        self.status = self.Status.ENDED
        self.ended_at = now
        self.ended_by = by

    def add_witness_note(self, by: User, words: str) -> "WitnessNote":
        """Keep BY's one note, once the conversation has ended.

        Whether BY may witness at all is the caller's to decide (mend/counselor);
        here: after the end only, once per witness, short and not empty.
        """
        text = (words or "").strip()
        if not text:
            raise Refused(_("Please write your note first."))
        if len(text) > MAX_NOTE:
            raise Refused(
                _(
                    "A note can be at most %(max)d characters (this one has %(n)d). "
                    "Nothing was saved: please shorten it."
                )
                % {"max": MAX_NOTE, "n": len(text)}
            )
        if self.status != self.Status.ENDED:
            raise Refused(
                _(
                    "A witness adds nothing while the conversation runs. You can "
                    "leave your note once it has ended."
                ),
                status=409,
            )
        if WitnessNote.objects.filter(conversation=self, author=by).exists():
            raise Refused(
                _("You have already left your note on this conversation."),
                status=409,
            )
        return WitnessNote.objects.create(
            space_id=self.space_id, conversation=self, author=by, text=text
        )

    def check_outcome(self) -> None:
        if self.status != self.Status.ENDED:
            raise Refused(
                _(
                    "Plans come after listening: once the conversation has ended, "
                    "either of you can turn what was said into one."
                ),
                status=409,
            )


class TopicQuerySet(SpaceOwnedQuerySet["Topic"]):
    pass


class Topic(SpaceOwned):
    """One item on a conversation's agenda; either partner adds them before it starts."""

    author_field = "added_by"
    export_labels = {"text": gettext_lazy("Topic")}

    conversation = models.ForeignKey(
        Conversation, models.CASCADE, related_name="topics"
    )
    added_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    text = models.CharField(max_length=MAX_TOPIC)
    order = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TopicQuerySet.as_manager()

    def __str__(self) -> str:
        return f"topic {self.code}"


class TurnQuerySet(SpaceOwnedQuerySet["Turn"]):
    pass


class Turn(SpaceOwned):
    """One turn: the speaker's point, reflected, confirmed, validated, then passed."""

    class State(models.TextChoices):
        SAID = "said", gettext_lazy("Waiting for the listener to reflect it back")
        REFLECTED = "reflected", gettext_lazy("Waiting for the speaker: is that it?")
        CLARIFIED = "clarified", gettext_lazy("Clarified; waiting for a new reflection")
        CONFIRMED = "confirmed", gettext_lazy("Heard; waiting for the listener")
        VALIDATED = "validated", gettext_lazy("Validated; the floor can pass")
        PASSED = "passed", gettext_lazy("The floor passed")

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="turns")
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    # Not CASCADE: deleting one person never reaches the other's words in the turn.
    speaker = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    listener = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SAID)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TurnQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_turn_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"turn {self.code}"

    def move_list(self) -> list["Move"]:
        return sorted(self.moves.all(), key=lambda m: (m.at, m.pk))

    def _refuse_unless(
        self, by: User, who_id: int | None, message: StrOrPromise
    ) -> None:
        if by.pk != who_id:
            raise Refused(message, status=409)

    def _refuse_unless_state(self, *states: str) -> None:
        if self.state not in states:
            raise Refused(
                _("That step doesn't come next in this turn: %(next)s.")
                % {"next": self.State(self.state).label},
                status=409,
            )

    def reflect(self, by: User) -> None:
        self._refuse_unless(
            by, self.listener_id, _("Your partner reflects back what you said.")
        )
        self._refuse_unless_state(self.State.SAID, self.State.CLARIFIED)
        self.state = self.State.REFLECTED

    def confirm(self, by: User) -> None:
        self._refuse_unless(
            by, self.speaker_id, _("The speaker says whether that was it.")
        )
        self._refuse_unless_state(self.State.REFLECTED)
        self.state = self.State.CONFIRMED

    def clarify(self, by: User) -> None:
        self._refuse_unless(
            by, self.speaker_id, _("The speaker clarifies what they meant.")
        )
        self._refuse_unless_state(self.State.REFLECTED)
        self.state = self.State.CLARIFIED

    def validate(self, by: User) -> None:
        self._refuse_unless(
            by, self.listener_id, _("The listener says what makes sense to them.")
        )
        self._refuse_unless_state(self.State.CONFIRMED)
        self.state = self.State.VALIDATED

    def pass_floor(self, by: User) -> None:
        self._refuse_unless(
            by, self.speaker_id, _("The speaker passes the floor when ready.")
        )
        self._refuse_unless_state(self.State.VALIDATED)
        self.state = self.State.PASSED


class MoveQuerySet(SpaceOwnedQuerySet["Move"]):
    pass


class Move(SpaceOwned):
    """One thing said in a turn; moves are only ever added, so every round stays."""

    author_field = "by"
    export_labels = {"kind": gettext_lazy("Step"), "text": gettext_lazy("Words")}

    class Kind(models.TextChoices):
        POINT = "point", gettext_lazy("said")
        REFLECTION = "reflection", gettext_lazy("reflected back")
        CLARIFICATION = "clarification", gettext_lazy("clarified")
        CONFIRMATION = "confirmation", gettext_lazy("said: yes, that's it")
        VALIDATION = "validation", gettext_lazy("said what makes sense")
        PASS = "pass", gettext_lazy("passed the floor")

    turn = models.ForeignKey(Turn, models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    by = models.ForeignKey(User, models.CASCADE, related_name="+")
    text = models.TextField(max_length=MAX_SAY, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = MoveQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


class OutcomeQuerySet(SpaceOwnedQuerySet["Outcome"]):
    def questions(self) -> "OutcomeQuerySet":
        return (
            self.filter(kind=Outcome.Kind.QUESTION)
            .select_related("conversation", "by")
            .order_by("-created_at", "-pk")
        )


class Outcome(SpaceOwned):
    """What a conversation led to, linking back to it: a proposal or a question."""

    author_field = "by"
    export_labels = {"kind": gettext_lazy("Outcome"), "text": gettext_lazy("Words")}

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", gettext_lazy("An agreement proposal")
        QUESTION = "question", gettext_lazy("A question to come back to")
        COMMITMENT = "commitment", gettext_lazy("A commitment")

    conversation = models.ForeignKey(
        Conversation, models.CASCADE, related_name="outcomes"
    )
    turn = models.ForeignKey(
        Turn, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(User, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(max_length=2000)
    # The agreement (or, later, commitment) this became, by its public code.
    made_code = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OutcomeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.kind} outcome {self.code}"


class WitnessNoteQuerySet(SpaceOwnedQuerySet["WitnessNote"]):
    pass


class WitnessNote(SpaceOwned):
    """A witness's one note on a conversation, left after it ended."""

    export_labels = {"text": gettext_lazy("Note as a witness")}

    conversation = models.ForeignKey(
        Conversation, models.CASCADE, related_name="witness_notes"
    )
    author = models.ForeignKey(User, models.CASCADE, related_name="+")
    text = models.TextField(max_length=MAX_NOTE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WitnessNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="one_note_per_witness"
            )
        ]

    def __str__(self) -> str:
        return f"witness note {self.code}"


# Who may witness a space's conversations, by name: registered by the app that
# decides it (mend/counselor/apps.py), so this app never imports it.
Witnesses = Callable[[int], list[str]]
_witnesses: list[Witnesses] = []


def on_witnesses(finder: Witnesses) -> None:
    if finder not in _witnesses:
        _witnesses.append(finder)


def witnesses_of(space_id: int) -> list[str]:
    """Return the names of those who may witness this space's conversations now."""
    return [name for finder in _witnesses for name in finder(space_id)]


def recent_words(user: User, conversation_code: str) -> list[str]:
    """Return the writer's own last few messages in a conversation, for the coach."""
    if not conversation_code:
        return []
    try:
        moves = (
            Move.objects.for_member(user)
            .filter(by=user, turn__conversation__code=conversation_code)
            .exclude(text="")
            .order_by("-at", "-pk")
            .values_list("text", flat=True)[: coach.ESCALATION_RUN - 1]
        )
        return list(reversed(list(moves)))
    except (ValueError, ValidationError):  # not a UUID: no history to go on
        return []


def calendar_items(member: User) -> list[CalendarItem]:
    """MEMBER's couple's planned conversations not declined or ended, as calendar items
    (mend/calendar's SOURCES): titled "Conversation", never its topics, at its time
    on the proposer's clock, for its time box."""
    items = []
    for c in (
        Conversation.objects.for_member(member)
        .filter(declined_at__isnull=True, ended_at__isnull=True)
        .select_related("proposed_by")
        .order_by("-starts_at")[:50]
    ):
        zone = c.proposed_by.time_zone if c.proposed_by else "UTC"
        local = c.starts_at.astimezone(zone_or_utc(zone))
        items.append(
            CalendarItem(
                uid=f"conversation-{c.code}",
                title=str(gettext_lazy("Conversation")),
                path=f"/conversations/{c.code}/",
                schedule=Schedule(local.date(), local.time(), zone),
                minutes=c.minutes,
            )
        )
    return items
