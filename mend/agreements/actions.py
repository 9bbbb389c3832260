"""The yes / no / maybe inventory: private answers, shared overlaps only.

Rule: a partner's answers are sealed under the couple key; the only thing computed
from both partners' answers and shown to either is the pair of overlap lists (both
said yes; both said at least maybe). A "no" or "not now" is never revealed as such,
nor whether or how many items the partner answered.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.agreements.models import SWEEP_KIND, Answer, InventoryAnswer, InventoryItem
from mend.couples.models import Space
from mend.lib.crypto import SealError
from mend.lib.errors import Refused
from mend.privacy.models import record_views, seal_with, unseal_with

AT_LEAST_MAYBE = {Answer.YES, Answer.MAYBE}
# Changing this many answers within SWEEP_WINDOW is a sweep: someone may be flipping
# answers to read the other's from the overlaps, so the other sees it in the access
# log. A first fill, however fast, is no sweep; nor is changing one's mind about a few.
SWEEP_CHANGES = 5
SWEEP_WINDOW = timedelta(hours=1)
# Stands in for a missing answer, so every item costs the same work whatever the answer.
UNANSWERED_WHERE = "inventory:unanswered"


def _open(couple_key: bytes, sealed: bytes | memoryview, where: str) -> str | None:
    try:
        return unseal_with(couple_key, bytes(sealed), where)
    except SealError:
        return None


@transaction.atomic
def set_answer(
    space: Space, user: User, couple_key: bytes, item: InventoryItem, answer: str
) -> None:
    """Store USER's ANSWER to ITEM; a sweep of changes shows in the access log."""
    if answer not in Answer.values:
        raise Refused(_("Please answer yes, maybe, not now or no."))
    where = InventoryAnswer.where(item, user)
    sealed = seal_with(couple_key, answer, where)
    now = timezone.now()
    current, created = InventoryAnswer.objects.select_for_update().get_or_create(
        space=space,
        user=user,
        item=item,
        defaults={"sealed": sealed, "updated_at": now},
    )
    if created or _open(couple_key, current.sealed, where) == answer:
        return
    current.sealed = sealed
    current.updated_at = current.changed_at = now
    current.save(update_fields=["sealed", "updated_at", "changed_at"])
    changed = InventoryAnswer.objects.filter(
        space=space, user=user, changed_at__gte=now - SWEEP_WINDOW
    ).count()
    if changed >= SWEEP_CHANGES:
        sweep = uuid.uuid5(space.code, f"inventory-changes:{user.code}")
        record_views(
            user,
            [(space.pk, p.pk, sweep) for p in space.partners() if p.pk != user.pk],
            SWEEP_KIND,
        )


def my_answers(space: Space, user: User, couple_key: bytes) -> dict[int, str]:
    """Return USER's own answers by item id."""
    answers = InventoryAnswer.objects.filter(space=space, user=user).select_related(
        "item", "user"
    )
    opened = {
        a.item_id: _open(couple_key, a.sealed, InventoryAnswer.where(a.item, a.user))
        for a in answers
    }
    return {item_id: value for item_id, value in opened.items() if value}


def overlaps(
    space: Space, couple_key: bytes, items: list[InventoryItem]
) -> tuple[list[InventoryItem], list[InventoryItem]]:
    """Return the items both partners said yes to, and those both said at least maybe to.

    ITEMS are those the page shows (InventoryItem.objects.for_member), in order.
    Nothing else about either partner's answers is returned. Every item takes the
    same steps, one sealed value opened per partner, whether they said no, not now
    or nothing yet, so the time taken does not tell them apart either.
    """
    partners = space.partners()
    if len(partners) < 2:
        return [], []
    by_pk = {item.pk: item for item in items}
    people = {p.pk: p for p in partners}
    stored = {
        (a.item_id, a.user_id): (
            a.sealed,
            InventoryAnswer.where(by_pk[a.item_id], people[a.user_id]),
        )
        for a in InventoryAnswer.objects.filter(space=space, user__in=partners)
        if a.item_id in by_pk
    }
    unanswered = (seal_with(couple_key, "", UNANSWERED_WHERE), UNANSWERED_WHERE)
    both_yes: list[InventoryItem] = []
    both_maybe: list[InventoryItem] = []
    for item in items:
        values = [
            _open(couple_key, *stored.get((item.pk, p.pk), unanswered))
            for p in partners
        ]
        if all(v == Answer.YES for v in values):
            both_yes.append(item)
        if all(v in AT_LEAST_MAYBE for v in values):
            both_maybe.append(item)
    return both_yes, both_maybe
