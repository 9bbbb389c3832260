import uuid
from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.lib.pagination import link_older, newest_first
from mend.story import actions
from mend.story.models import (
    Appreciation,
    Ritual,
    RitualDone,
    StandFor,
    StandForWording,
    recap,
)
from mend.story.views import PAGE, month_of

router = Router(tags=["story"])


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _space(request: HttpRequest) -> Space:
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    return space


class NoteIn(Schema):
    # Lengths are checked by the model, with a message saying how long the text is.
    text: str


class NoteOut(Schema):
    code: str
    author: str
    is_mine: bool
    text: str
    created_at: datetime


def _note(note: Appreciation, user: User) -> NoteOut:
    return NoteOut(
        code=str(note.code),
        author=str(note.author),
        is_mine=note.author_id == user.pk,
        text=note.text,
        created_at=note.created_at,
    )


@router.get("/appreciations", response=list[NoteOut])
def list_notes(
    request: HttpRequest, response: HttpResponse, before: str = ""
) -> list[NoteOut]:
    """Notes of appreciation, both ways, newest first, 50 at a time.

    The `Link` header (rel="next") points at the older page, if there is one. Reading
    your partner's notes is in the access log.
    """
    user = _me(request)
    page = newest_first(
        Appreciation.objects.for_member(user).newest(), "created_at", before
    )
    link_older(request, response, page)
    notes = page.items
    actions.read_notes(user, notes)
    return [_note(n, user) for n in notes]


@router.post("/appreciations", response={201: NoteOut})
def add_note(request: HttpRequest, payload: NoteIn) -> Status[NoteOut]:
    """Send your partner a one-line note of appreciation or gratitude."""
    user = _me(request)
    note = Appreciation.write(_space(request), user, payload.text)
    return Status(201, _note(note, user))


class RecapPerson(Schema):
    author: str
    is_mine: bool
    notes: list[str]


class RecapOut(Schema):
    month: str
    by: list[RecapPerson]


@router.get("/recap", response=RecapOut)
def month_recap(request: HttpRequest, month: str = "") -> RecapOut:
    """What each of you appreciated in a month (`month` as YYYY-MM; default this one)."""
    user = _me(request)
    today = timezone.localdate(timezone.now(), user.tzinfo)
    year, number = month_of(month, today)
    groups = recap(Appreciation.objects.for_member(user), year, number, user.tzinfo)
    actions.read_notes(user, [n for _a, notes in groups for n in notes])
    return RecapOut(
        month=f"{year}-{number:02d}",
        by=[
            RecapPerson(
                author=str(a), is_mine=a.pk == user.pk, notes=[n.text for n in ns]
            )
            for a, ns in groups
        ],
    )


class WordingIn(Schema):
    values: str = ""
    commitments: str = ""
    vision: str = ""
    revisit_every_days: int | None = None


class WordingOut(Schema):
    code: str
    number: int
    values: str
    commitments: str
    vision: str
    status: str
    proposed_by: str | None
    affirmed_by: str | None
    confirmed_at: datetime | None


class StandForOut(Schema):
    current: WordingOut | None
    waiting: WordingOut | None
    revisit_on: date | None


class AffirmIn(Schema):
    words: str = Field(description='Explicit words, such as "I agree" or "I affirm".')


def _wording(w: StandForWording | None) -> WordingOut | None:
    if w is None:
        return None
    return WordingOut(
        code=str(w.code),
        number=w.number,
        values=w.values,
        commitments=w.commitments,
        vision=w.vision,
        status=w.status_label(),
        proposed_by=str(w.proposed_by) if w.proposed_by_id else None,
        affirmed_by=str(w.affirmed_by) if w.affirmed_by_id else None,
        confirmed_at=w.confirmed_at,
    )


def _statement(request: HttpRequest) -> StandForOut:
    statement = (
        StandFor.objects.for_member(_me(request))
        .with_wordings()
        .get(pk=StandFor.of(_space(request)).pk)
    )
    return StandForOut(
        current=_wording(statement.current()),
        waiting=_wording(statement.waiting()),
        revisit_on=statement.revisit_on,
    )


@router.get("/values", response=StandForOut)
def get_values(request: HttpRequest) -> StandForOut:
    """What you stand for: the words in force (once both agreed) and any proposal."""
    return _statement(request)


@router.post("/values", response={201: StandForOut})
def propose_values(request: HttpRequest, payload: WordingIn) -> Status[StandForOut]:
    """Propose new words; they become current once your partner affirms and you confirm."""
    statement = StandFor.of(_space(request))
    statement.propose(_me(request), **payload.dict())
    return Status(201, _statement(request))


def _find(request: HttpRequest, code: uuid.UUID) -> StandForWording:
    return get_object_or_404(
        StandForWording.objects.for_member(_me(request)).select_related("stand_for"),
        code=code,
    )


@router.post("/values/{uuid:code}/affirm", response=StandForOut)
@person_only(CONSENT)
def affirm_values(
    request: HttpRequest, code: uuid.UUID, payload: AffirmIn
) -> StandForOut:
    """Affirm your partner's proposed words, in words you type."""
    _find(request, code).affirm(_me(request), payload.words)
    return _statement(request)


@router.post("/values/{uuid:code}/confirm", response=StandForOut)
@person_only(CONSENT)
def confirm_values(request: HttpRequest, code: uuid.UUID) -> StandForOut:
    """Confirm the words you proposed, once your partner affirmed them: now current."""
    _find(request, code).confirm(_me(request))
    return _statement(request)


class RitualIn(Schema):
    title: str
    frequency: str
    starts_on: date
    at: time
    weekdays: list[int] = []
    interval: int = 1
    ends_on: date | None = None


class RitualOut(Schema):
    code: str
    title: str
    frequency: str
    times_done: int
    is_ongoing: bool


def _ritual(r: Ritual) -> RitualOut:
    return RitualOut(
        code=str(r.code),
        title=r.title,
        frequency=r.frequency,
        times_done=r.count(),
        is_ongoing=r.stopped_at is None,
    )


@router.get("/rituals", response=list[RitualOut])
def list_rituals(request: HttpRequest) -> list[RitualOut]:
    """Your rituals of connection still going, each with how many times it was done."""
    found = (
        Ritual.objects.for_member(_me(request))
        .ongoing()
        .with_count()
        .order_by("created_at")[:PAGE]
    )
    return [_ritual(r) for r in found]


@router.post("/rituals", response={201: RitualOut})
def add_ritual(request: HttpRequest, payload: RitualIn) -> Status[RitualOut]:
    """Add a ritual; `frequency` is once, daily, weekly or weekdays (0 = Monday)."""
    ritual = Ritual.start(_space(request), _me(request), **payload.dict())
    return Status(201, _ritual(ritual))


class DoneOut(Schema):
    on: date
    times_done: int


@router.post("/rituals/{uuid:code}/done", response=DoneOut)
def ritual_done(request: HttpRequest, code: uuid.UUID) -> DoneOut:
    """Mark "we did it" for today (either of you; twice the same day counts once)."""
    ritual = get_object_or_404(Ritual.objects.for_member(_me(request)), code=code)
    done: RitualDone = ritual.mark_done(_me(request))
    return DoneOut(on=done.on, times_done=ritual.count())


@router.post("/rituals/{uuid:code}/stop", response=RitualOut)
def stop_ritual(request: HttpRequest, code: uuid.UUID) -> RitualOut:
    """Set a ritual aside (either of you); its count stays."""
    ritual = get_object_or_404(Ritual.objects.for_member(_me(request)), code=code)
    ritual.stop(_me(request))
    return _ritual(ritual)
