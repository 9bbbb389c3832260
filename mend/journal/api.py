import uuid
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.journal import actions
from mend.journal.forms import MAX_BODY
from mend.journal.models import KIND, JournalEntry
from mend.lib.errors import Refused
from mend.privacy.models import LEFT_OUT_HEADER, open_entries_counting, open_entry

router = Router(tags=["journal"])


class EntryIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    share: bool = False


class EntryOut(Schema):
    code: str
    author: str
    is_mine: bool
    is_shared: bool
    created_at: datetime
    title: str
    body: str


def _out(entry: JournalEntry, content: dict[str, str], user: User) -> EntryOut:
    return EntryOut(
        code=str(entry.code),
        author=str(entry.author),
        is_mine=entry.author_id == user.pk,
        is_shared=entry.is_shared,
        created_at=entry.created_at,
        title=content.get("title", ""),
        body=content.get("body", ""),
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/entries", response=list[EntryOut])
def list_entries(request: HttpRequest, response: HttpResponse) -> list[EntryOut]:
    """Your entries and those your partner shared.

    Private entries this request cannot open are left out; the Mend-Private-Left-Out
    header says how many.
    """
    user = _me(request)
    entries = (
        JournalEntry.objects.visible_to(user)
        .select_related("author")
        .order_by("-created_at")[:200]
    )
    opened, left_out = open_entries_counting(
        list(entries), user, personal_key(request), str(KIND)
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    return [_out(e, c, user) for e, c in opened]


@router.post("/entries", response={201: EntryOut})
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    user = _me(request)
    space = current_space(request)
    if space is None:
        raise Refused("You don't share a space yet.", status=404)
    entry = actions.write_entry(space, user, personal_key(request), **payload.dict())
    return Status(
        201, _out(entry, {"title": payload.title, "body": payload.body}, user)
    )


@router.get("/entries/{uuid:code}", response=EntryOut)
def get_entry(request: HttpRequest, code: uuid.UUID) -> EntryOut:
    user = _me(request)
    entry = get_object_or_404(
        JournalEntry.objects.visible_to(user).select_related("author"), code=code
    )
    return _out(entry, open_entry(entry, user, personal_key(request), str(KIND)), user)


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
    entry = get_object_or_404(JournalEntry.objects.mine(_me(request)), code=code)
    entry.delete()
    return Status(204, None)
