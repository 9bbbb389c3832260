import uuid
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.journal import actions
from mend.journal.forms import MAX_BODY
from mend.journal.models import (
    KIND,
    MAX_REPLY,
    JournalEntry,
    JournalReply,
    search,
)
from mend.journal.views import PAGE
from mend.lib.errors import Refused
from mend.lib.pagination import link_older, newest_first
from mend.privacy.models import (
    LEFT_OUT_HEADER,
    open_entries,
    open_entries_counting,
    open_entry,
)

router = Router(tags=["journal"])

_WITHDRAWN = gettext_lazy(
    "Withdrawn: your partner shared this entry and then made it private again."
)


class EntryIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    share: bool = False
    is_question: bool = False


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_REPLY)


class QuestionIn(Schema):
    is_question: bool


class ReplyOut(Schema):
    code: str
    author: str
    kind: str
    text: str
    created_at: datetime


class EntryOut(Schema):
    code: str
    author: str
    is_mine: bool
    is_shared: bool
    is_question: bool = False
    # True for an entry the partner shared and then made private again: no words.
    is_withdrawn: bool = False
    created_at: datetime
    title: str
    body: str


def _out(entry: JournalEntry, content: dict[str, str], user: User) -> EntryOut:
    return EntryOut(
        code=str(entry.code),
        author=str(entry.author),
        is_mine=entry.author_id == user.pk,
        is_shared=entry.is_shared,
        is_question=entry.is_question,
        is_withdrawn=entry.is_withdrawn_for(user),
        created_at=entry.created_at,
        title=content.get("title", ""),
        body=content.get("body", ""),
    )


def _reply_out(reply: JournalReply) -> ReplyOut:
    return ReplyOut(
        code=str(reply.code),
        author=str(reply.author),
        kind=reply.kind,
        text=reply.text,
        created_at=reply.created_at,
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/entries", response=list[EntryOut])
def list_entries(
    request: HttpRequest, response: HttpResponse, before: str = ""
) -> list[EntryOut]:
    """Your entries and those your partner shared, newest first, 50 at a time.

    The `Link` header (rel="next") points at the older page, if there is one.
    Private entries this request cannot open are left out; the Mend-Private-Left-Out
    header says how many. An entry your partner withdrew (made private again) is
    listed with `is_withdrawn` and no words.
    """
    user = _me(request)
    page = newest_first(
        JournalEntry.objects.for_member(user).listed(user).select_related("author"),
        "created_at",
        before,
    )
    link_older(request, response, page)
    entries = page.items
    withdrawn = [e for e in entries if e.is_withdrawn_for(user)]
    opened, left_out = open_entries_counting(
        [e for e in entries if e not in withdrawn],
        user,
        personal_key(request),
        KIND,
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    shown = [(e, c) for e, c in opened] + [(e, {}) for e in withdrawn]
    shown.sort(key=lambda pair: pair[0].created_at, reverse=True)
    return [_out(e, c, user) for e, c in shown]


@router.get("/search", response=list[EntryOut])
def search_entries(
    request: HttpRequest, response: HttpResponse, q: str = ""
) -> list[EntryOut]:
    """Search your own entries and those shared with you (at most 50, newest first).

    Your private entries are opened with your key in this request and scanned; if it
    cannot open them, the Mend-Private-Left-Out header is 1 and they were not searched.
    """
    user = _me(request)
    key = personal_key(request)
    hits, locked = search(user, key, q)
    open_entries([e for e, _c in hits], user, key, KIND)
    response[LEFT_OUT_HEADER] = "1" if locked else "0"
    return [_out(e, c, user) for e, c in hits]


@router.get("/questions", response=list[EntryOut])
def open_questions(request: HttpRequest) -> list[EntryOut]:
    """Questions your partner asked in shared entries that you haven't replied to."""
    user = _me(request)
    entries = list(
        JournalEntry.objects.visible_to(user)
        .questions_for(user)
        .select_related("author")
        .order_by("-created_at")[:PAGE]
    )
    return [
        _out(e, c, user)
        for e, c in open_entries(entries, user, personal_key(request), KIND)
    ]


@router.post("/entries", response={201: EntryOut})
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    user = _me(request)
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    entry = actions.write_entry(space, user, personal_key(request), **payload.dict())
    return Status(
        201, _out(entry, {"title": payload.title, "body": payload.body}, user)
    )


@router.get("/entries/{uuid:code}", response=EntryOut)
def get_entry(request: HttpRequest, code: uuid.UUID) -> EntryOut:
    """One entry; one your partner withdrew answers 410 "withdrawn"."""
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.for_member(user).listed(user).select_related("author"),
        code=code,
    )
    if entry.is_withdrawn_for(user):
        raise Refused(_WITHDRAWN, status=410)
    return _out(entry, open_entry(entry, user, personal_key(request), KIND), user)


@router.get("/entries/{uuid:code}/replies", response=list[ReplyOut])
def list_replies(request: HttpRequest, code: uuid.UUID) -> list[ReplyOut]:
    """Replies and "I read this" on an entry you can read (yours or shared with you)."""
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.visible_to(user).with_replies(), code=code
    )
    open_entry(entry, user, personal_key(request), KIND)
    if entry.author_id == user.pk:
        actions.log_reply_views(user, entry)
    return [_reply_out(r) for r in entry.shown_replies()]


@router.post("/entries/{uuid:code}/replies", response={201: ReplyOut})
def reply_entry(
    request: HttpRequest, code: uuid.UUID, payload: ReplyIn
) -> Status[ReplyOut]:
    """Reply briefly to an entry your partner shared (this answers a question)."""
    user = _me(request)
    entry = get_object_or_404(JournalEntry.objects.visible_to(user), code=code)
    reply = actions.answer_entry(entry, user, JournalReply.Kind.REPLY, payload.text)
    return Status(201, _reply_out(reply))


@router.post("/entries/{uuid:code}/read", response={201: ReplyOut})
def read_entry(request: HttpRequest, code: uuid.UUID) -> Status[ReplyOut]:
    """Say "I read this" on an entry your partner shared (once; repeats are the same)."""
    user = _me(request)
    entry = get_object_or_404(JournalEntry.objects.visible_to(user), code=code)
    return Status(201, _reply_out(actions.answer_entry(entry, user, "read")))


@router.post("/entries/{uuid:code}/question", response=EntryOut)
def mark_question(
    request: HttpRequest, code: uuid.UUID, payload: QuestionIn
) -> EntryOut:
    """Mark your shared entry as a question for your partner, or unmark it."""
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.mine(user).select_related("author"), code=code
    )
    entry.mark_question(user, is_question=payload.is_question)
    return _out(entry, open_entry(entry, user, personal_key(request), KIND), user)


@router.post("/entries/{uuid:code}/share", response=EntryOut)
@person_only(CONSENT)
def share_entry(request: HttpRequest, code: uuid.UUID) -> EntryOut:
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.mine(user).select_related("author"), code=code
    )
    return _out(entry, entry.set_shared(personal_key(request), user, share=True), user)


@router.post("/entries/{uuid:code}/unshare", response=EntryOut)
def unshare_entry(request: HttpRequest, code: uuid.UUID) -> EntryOut:
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.mine(user).select_related("author"), code=code
    )
    return _out(entry, entry.set_shared(personal_key(request), user, share=False), user)


@router.delete("/entries/{uuid:code}", response={204: None})
def delete_entry(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    user = _me(request)
    entry = get_object_or_404(JournalEntry.objects.mine(user), code=code)
    entry.remove(user)
    return Status(204, None)
