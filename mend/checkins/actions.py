from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.checkins.models import Answer, CheckIn, preset_prompts
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.lib.pace import check_pace
from mend.lib.recurrence import Schedule

# New check-ins a person can add a minute: each shows on the partner's calendar.
PACE_LIMIT = 10


@transaction.atomic
def add_check_in(
    space: Space,
    by: User,
    *,
    kind: str,
    name: str,
    schedule: Schedule,
    prompts: list[dict[str, Any]] | None = None,
) -> CheckIn:
    check_pace(by, CheckIn.objects.filter(created_by=by), limit=PACE_LIMIT)
    check_in = CheckIn(space=space, kind=kind, created_by=by)
    check_in.rename(name)
    check_in.set_prompts(prompts if prompts is not None else preset_prompts(kind))
    check_in.set_schedule(schedule)
    check_in.save()
    return check_in


@transaction.atomic
def edit_check_in(
    check_in: CheckIn,
    *,
    name: str | None = None,
    schedule: Schedule | None = None,
    prompts: list[dict[str, Any]] | None = None,
) -> CheckIn:
    """Change what was given; answers keep the prompts they were written to."""
    if name is not None:
        check_in.rename(name)
    if prompts is not None:
        check_in.set_prompts(prompts)
    if schedule is not None:
        check_in.set_schedule(schedule)
    check_in.save()
    return check_in


def answer(
    check_in: CheckIn,
    author: User,
    key: bytes | None,
    *,
    occurs_at: datetime,
    answers: dict[str, Any],
    share: bool,
    show_early: bool = False,
    now: datetime | None = None,
) -> Answer:
    """Record AUTHOR's answers to one occurrence of CHECK_IN that has come.

    Private (SHARE false) answers are sealed under the author's KEY. SHOW_EARLY shows
    a shared answer to the partner before they have answered theirs.
    """
    now = now or timezone.now()
    occurs_at = check_in.check_occurrence(occurs_at, now)
    cleaned = check_in.clean_answers(answers)
    entry = Answer(
        space_id=check_in.space_id,
        check_in=check_in,
        author=author,
        occurs_at=occurs_at,
        is_shared=share,
        is_shown_early=share and show_early,
    )
    entry.set_content(key, cleaned)
    if share:
        entry.shared_at = entry.updated_at
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as e:
        raise Refused(
            _("You have already answered this one; each time is answered once."),
            status=409,
        ) from e
    if share:
        entry.tell(author, "shared")
    return entry


def show_early(entry: Answer, key: bytes | None, by: User) -> Answer:
    """Share ENTRY (if private) and show it to the partner before they answer."""
    if by.pk != entry.author_id:
        raise Refused(_("Only the person who wrote this can share it."), status=403)
    with transaction.atomic():
        was_shared = entry.is_shared
        entry.share(key, by)
        entry.is_shown_early = True
        entry.save()
        if not was_shared:
            entry.tell(by, "shared")
    return entry
