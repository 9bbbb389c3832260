from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.couples.models import Invite, Membership, Space, hash_invite_code
from mend.lib.errors import Refused


class SpaceError(Refused):
    """A request about a space that cannot be honoured; the message says why."""


@transaction.atomic
def create_space(user: User, *, name: str = "", roles_answer: str = "unsaid") -> Space:
    if Space.objects.for_member(user).exists():
        raise SpaceError(
            _("You already share a space. You can be in one space at a time.")
        )
    space = Space.objects.create(name=name)
    try:
        with transaction.atomic():
            Membership.objects.create(space=space, user=user)
    except IntegrityError as e:
        raise SpaceError(
            _("You already share a space. You can be in one space at a time.")
        ) from e
    space.set_roles(user, roles_answer)
    return space


def find_invite(code: str) -> Invite | None:
    return (
        Invite.objects.select_related("space", "created_by")
        .filter(code_hash=hash_invite_code(code))
        .first()
    )


def check_invite(invite: Invite | None, user: User | None = None) -> None:
    """Raise SpaceError with a clear reason when INVITE cannot be used (by USER)."""
    if invite is None:
        raise SpaceError(
            _("We couldn't find that invite. Check the code and try again.")
        )
    if invite.used_at is not None:
        raise SpaceError(
            _("This invite has already been used. Ask your partner for a new one.")
        )
    if invite.is_expired():
        raise SpaceError(_("This invite has expired. Ask your partner for a new one."))
    if user is not None and invite.created_by_id == user.pk:
        raise SpaceError(_("This is your own invite: send it to your partner."))


@transaction.atomic
def join(user: User, code: str) -> Space:
    """Join the space behind invite CODE, as its second partner."""
    invite = find_invite(code)
    check_invite(invite, user)
    assert invite is not None
    # Lock the space row so two people joining at once cannot both become second.
    space = Space.objects.select_for_update().get(pk=invite.space_id)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    check_invite(invite, user)
    if Space.objects.for_member(user).exists():
        raise SpaceError(
            _("You already share a space. Leave it first if you want to join another.")
        )
    if Membership.objects.filter(space=space, left_at__isnull=True).count() >= 2:
        raise SpaceError(
            _("This space already has two partners; a space holds exactly two.")
        )
    try:
        with transaction.atomic():
            Membership.objects.create(
                space=space, user=user, is_hurt_partner=space.hurt_partner_joins_later
            )
    except IntegrityError as e:
        raise SpaceError(_("You already share a space.")) from e
    if space.hurt_partner_joins_later:
        space.hurt_partner_joins_later = False
        space.save(update_fields=["hurt_partner_joins_later"])
    invite.used_at = timezone.now()
    invite.used_by = user
    invite.save(update_fields=["used_at", "used_by"])
    return space


def issue_invite(space: Space, by: User) -> tuple[Invite, str]:
    if space.is_full():
        raise SpaceError(_("Your space already has both partners."))
    if Membership.objects.filter(space=space, left_at__isnull=False).exists():
        # What a partner kept here when they left was kept for this couple alone.
        raise SpaceError(
            _(
                "Your partner has left this space, so it can't take someone new. "
                "To invite someone, leave this space and start a new one."
            )
        )
    return Invite.issue(space, by)
