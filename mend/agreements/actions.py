"""The yes / no / maybe inventory: private answers, shared overlaps only.

Rule: a partner's answers are sealed under the couple key; the only thing computed
from both partners' answers and shown to either is the pair of overlap lists (both
said yes; both said at least maybe). A "no" or "not now" is never revealed as such,
nor whether or how many items the partner answered.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.agreements.models import Answer, InventoryAnswer, InventoryItem
from mend.couples.models import Space
from mend.lib.crypto import SealError
from mend.lib.errors import Refused
from mend.privacy.models import seal_with, unseal_with

AT_LEAST_MAYBE = {Answer.YES, Answer.MAYBE}


def _open(couple_key: bytes, answer: InventoryAnswer) -> str | None:
    try:
        return unseal_with(
            couple_key,
            bytes(answer.sealed),
            InventoryAnswer.where(answer.item, answer.user),
        )
    except SealError:
        return None


@transaction.atomic
def set_answer(
    space: Space, user: User, couple_key: bytes, item: InventoryItem, answer: str
) -> None:
    if answer not in Answer.values:
        raise Refused(_("Please answer yes, maybe, not now or no."))
    sealed = seal_with(couple_key, answer, InventoryAnswer.where(item, user))
    InventoryAnswer.objects.update_or_create(
        space=space,
        user=user,
        item=item,
        defaults={"sealed": sealed, "updated_at": timezone.now()},
    )


def my_answers(space: Space, user: User, couple_key: bytes) -> dict[int, str]:
    """Return USER's own answers by item id."""
    answers = InventoryAnswer.objects.filter(space=space, user=user).select_related(
        "item", "user"
    )
    opened = {a.item_id: _open(couple_key, a) for a in answers}
    return {item_id: value for item_id, value in opened.items() if value}


def overlaps(
    space: Space, couple_key: bytes
) -> tuple[list[InventoryItem], list[InventoryItem]]:
    """Return the items both partners said yes to, and those both said at least maybe to.

    Nothing else about either partner's answers is returned.
    """
    partners = space.partners()
    if len(partners) < 2:
        return [], []
    answers = InventoryAnswer.objects.filter(
        space=space, user__in=partners
    ).select_related("item", "user")
    by_item: dict[int, dict[int, str | None]] = {}
    items: dict[int, InventoryItem] = {}
    for answer in answers:
        by_item.setdefault(answer.item_id, {})[answer.user_id] = _open(
            couple_key, answer
        )
        items[answer.item_id] = answer.item
    both_yes: list[InventoryItem] = []
    both_maybe: list[InventoryItem] = []
    for item_id, values in by_item.items():
        if len(values) < 2:
            continue
        if all(v == Answer.YES for v in values.values()):
            both_yes.append(items[item_id])
        if all(v in AT_LEAST_MAYBE for v in values.values()):
            both_maybe.append(items[item_id])
    key = lambda item: (item.group, item.order, item.created_at)  # noqa: E731
    return sorted(both_yes, key=key), sorted(both_maybe, key=key)
