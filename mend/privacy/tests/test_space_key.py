import pytest

from conftest import PASSWORD, make_couple, make_person
from mend.accounts.models import Keyring, User
from mend.couples import actions
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import KeyLocked, SpaceKey, seal_with, unseal_with


def _key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


def test_both_partners_open_the_same_couple_key(
    space: Space, ana: User, ben: User
) -> None:
    first = SpaceKey.for_partner(space, ana, _key(ana))
    assert SpaceKey.for_partner(space, ben, _key(ben)) == first
    sealed = seal_with(first, "yes", "inventory:1")
    assert (
        unseal_with(SpaceKey.for_partner(space, ben, _key(ben)), sealed, "inventory:1")
        == "yes"
    )


def test_a_partner_who_joins_later_gets_a_copy(ana: User, ben: User) -> None:
    space = actions.create_space(ana)
    first = SpaceKey.for_partner(space, ana, _key(ana))
    _i, code = actions.issue_invite(space, ana)
    actions.join(ben, code)
    space = Space.objects.get(pk=space.pk)
    with pytest.raises(Refused):
        SpaceKey.for_partner(space, ben, _key(ben))
    SpaceKey.for_partner(space, ana, _key(ana))
    assert SpaceKey.for_partner(space, ben, _key(ben)) == first


def test_it_needs_the_personal_key(space: Space, ana: User) -> None:
    with pytest.raises(KeyLocked):
        SpaceKey.for_partner(space, ana, None)


def test_another_couple_has_another_key(space: Space, ana: User, db: None) -> None:
    cy, dy = make_person("cy", "Cy"), make_person("di", "Di")
    other = make_couple(cy, dy)
    assert SpaceKey.for_partner(other, cy, _key(cy)) != SpaceKey.for_partner(
        space, ana, _key(ana)
    )


def test_it_refuses_clearly_after_a_reset_without_the_recovery_code(
    space: Space, ana: User
) -> None:
    from mend.accounts.actions import reset_without_recovery

    SpaceKey.for_partner(space, ana, _key(ana))
    reset_without_recovery(ana, "a brand new passphrase 3")
    new_key = Keyring.objects.get(user=ana).open_with_password(
        "a brand new passphrase 3"
    )
    with pytest.raises(Refused) as refused:
        SpaceKey.for_partner(space, ana, new_key)
    assert refused.value.status == 409
