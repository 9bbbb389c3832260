"""Newest-first lists, a page at a time, with "show older": no list is ever unbounded.

Rule: a page shows at most PAGE_SIZE items, newest first, and says whether older ones
exist; nothing is silently cut, every item is reachable. The cursor names a moment
and how many items of exactly that moment were already shown (several rows can share
a moment, say access-log rows written in one request), so it needs no integer id in
the URL and costs the same on the hundredth page as on the first: one query, by the
moment's index.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from django.core.exceptions import BadRequest
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from mend.lib.errors import Refused

PAGE_SIZE = 50
MAX_CURSOR_LENGTH = 40
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

M = TypeVar("M", bound=models.Model)


class BadCursor(Refused):
    """A "before" value that no page of Mend made."""

    def __init__(self) -> None:
        super().__init__(
            _("That part of the list does not exist. Start from the newest.")
        )


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    older: str | None  # the cursor for the next, older page; None at the oldest
    before: str | None = None  # the cursor this page was asked for; None: the newest


def _encode(moment: datetime, seen: int) -> str:
    return f"{(moment - EPOCH) // MICROSECOND}.{seen}"


def _decode(cursor: str) -> tuple[datetime, int]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadCursor
    try:
        micros, seen = (int(part) for part in cursor.split("."))
        moment = EPOCH + micros * MICROSECOND
    except (ValueError, OverflowError, OSError) as error:
        raise BadCursor from error
    if seen < 0 or micros < 0:
        raise BadCursor
    return moment, seen


def newest_first(
    items: "models.QuerySet[M]",
    field: str,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page[M]:
    """Return the page of ITEMS (newest FIELD first) that comes after cursor BEFORE.

    Raises BadCursor for a cursor Mend did not make; callers answer it with a 400.
    """
    ordered = items.order_by(f"-{field}", "-pk")
    skip = 0
    if before:
        moment, skip = _decode(before)
        ordered = ordered.filter(**{f"{field}__lte": moment})
    window = list(ordered[skip : skip + size + 1])
    shown, more = window[:size], len(window) > size
    if not more:
        return Page(shown, None, before)
    last = getattr(shown[-1], field)
    same_moment = sum(1 for item in shown if getattr(item, field) == last)
    if before and last == moment:
        same_moment += skip
    return Page(shown, _encode(last, same_moment), before)


def page_of(request: HttpRequest, items: "models.QuerySet[M]", field: str) -> Page[M]:
    """The page a web page asked for with ?before=; a cursor Mend did not make is a 400."""
    try:
        return newest_first(items, field, request.GET.get("before"))
    except BadCursor as e:
        raise BadRequest(str(e)) from e


def link_older(request: HttpRequest, response: HttpResponse, page: Page[M]) -> None:
    """Point an API list's RESPONSE at its older page (RFC 8288), if there is one."""
    if page.older:
        query = request.GET.copy()
        query["before"] = page.older
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
