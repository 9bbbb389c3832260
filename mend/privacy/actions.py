"""Leaving a space, erasing an account and exporting one's own data.

Rules enforced here:
- Either partner can leave alone, at any time, without the other's consent; the
  leaver stops reaching anything of the space at once.
- What the leaver shared is kept for the other partner or erased, as the leaver
  chooses; their private entries stay theirs (exportable) or go with their account.
- Erasing an account deletes the keyring, so nothing sealed under the person's key
  can be opened again, even from a backup.
- An export holds what the person wrote, never what their partner wrote.
"""

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts import sessions
from mend.accounts.models import ApiToken, Keyring, User
from mend.couples.models import Invite, Membership, Space, SpaceOwned
from mend.lib.errors import Refused
from mend.privacy.models import AccessLog, PrivateContent, SpaceKey

# The names a "who wrote this" key goes by, most telling first. A model whose author
# key is called something else names it in an `author_field` class attribute.
AUTHOR_FIELDS = ("author", "created_by", "owner", "user")


def authored_models() -> Iterator[tuple[type[models.Model], str]]:
    """Yield (model, field name) for every couple-owned model with an author key.

    Found through the app registry, so features added later are included in export,
    leaving and erasure without touching this module. Only the one author key of
    each model counts: a row merely addressed to someone is not theirs to export or
    erase. The access log is not a contribution: it is the record both partners keep.
    """
    for model in apps.get_models():
        if not issubclass(model, SpaceOwned) or model is AccessLog:
            continue
        person_keys = {
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and field.related_model is User
        }
        declared = getattr(model, "author_field", None)
        names = (declared,) if declared else AUTHOR_FIELDS
        name = next((n for n in names if n in person_keys), None)
        if name is not None:
            yield model, name


def _authored(
    model: type[models.Model], field: str, user: User
) -> "models.QuerySet[Any]":
    return model._default_manager.filter(**{field: user})


def _shared_only(model: type[models.Model], qs: "models.QuerySet[Any]") -> Any:
    # Anything in a space that is not a PrivateContent is readable by both partners.
    return qs.filter(is_shared=True) if issubclass(model, PrivateContent) else qs


def _private_only(model: type[models.Model], qs: "models.QuerySet[Any]") -> Any:
    return (
        qs.filter(is_shared=False) if issubclass(model, PrivateContent) else qs.none()
    )


def erase_shared(user: User, space: Space) -> int:
    """Delete what USER contributed to SPACE that the other partner could read."""
    count = 0
    for model, field in authored_models():
        deleted, _by_model = _shared_only(
            model, _authored(model, field, user).filter(space=space)
        ).delete()
        count += deleted
    return count


@transaction.atomic
def leave_space(user: User, *, keep_shared: bool) -> Space:
    """End USER's membership of their space at once; return the space they left.

    KEEP_SHARED keeps what they shared for the other partner; otherwise it is erased.
    """
    membership = (
        Membership.objects.select_for_update()
        .select_related("space")
        .filter(user=user, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Refused(_("You are not in a space right now."), status=409)
    space = membership.space
    if not keep_shared:
        erase_shared(user, space)
    membership.leave()
    SpaceKey.objects.filter(space=space, user=user).delete()
    Invite.objects.filter(space=space).open().update(expires_at=timezone.now())
    return space


@transaction.atomic
def erase_account(user: User, *, keep_shared: bool) -> None:
    """Remove USER and their private data for good.

    The keyring goes first, so entries sealed under their key stay sealed forever,
    even in an old backup. Someone who was never in a space is deleted outright.
    Otherwise an empty placeholder stays (no username, email, password or key), so
    the partner's space keeps its shape and its "has left" note; it keeps the
    display name only when they keep their shared words for their partner.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if Membership.objects.filter(user=user, left_at__isnull=True).exists():
        leave_space(user, keep_shared=keep_shared)
    Keyring.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    sessions.end_all(user)
    TOTPDevice.objects.filter(user=user).delete()
    SpaceKey.objects.filter(user=user).delete()
    kept = 0
    for model, field in authored_models():
        mine = _authored(model, field, user)
        if keep_shared:
            _private_only(model, mine).delete()
            kept += _shared_only(model, mine).count()
        else:
            mine.delete()
    if not kept and not Membership.objects.filter(user=user).exists():
        user.delete()
        return
    user.username = f"erased-{secrets.token_hex(8)}"
    if not kept:
        user.display_name = ""
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.last_login = None
    user.time_zone = "UTC"
    user.save()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, str | int | float | bool | type(None) | list | dict):
        return value
    return str(value)


def _fields(obj: models.Model) -> dict[str, Any]:
    """Return OBJ's own fields for an export: no integer ids, no sealed bytes."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.BinaryField):
            continue
        if isinstance(field, models.ForeignKey):
            continue
        out[field.name] = _plain(field.value_from_object(obj))
    space = getattr(obj, "space", None)
    if space is not None:
        out["space"] = str(space.code)
    return out


def build_export(user: User, key: bytes | None) -> dict[str, Any]:
    """Return everything USER wrote, opened with their KEY where it is sealed.

    Entries that cannot be opened (locked session, or sealed before a reset without
    the recovery code) are listed under "locked" instead, so nothing goes missing
    silently. Nothing the partner wrote is included, shared or not.
    """
    content: list[dict[str, Any]] = []
    locked: list[dict[str, Any]] = []
    for model, field in authored_models():
        rows = _authored(model, field, user).select_related("space").order_by("pk")
        items: list[dict[str, Any]] = []
        for row in rows:
            item = _fields(row)
            if isinstance(row, PrivateContent):
                item.pop("shared_content", None)
                try:
                    item["content"] = row.content(key, user)
                except Refused as e:
                    locked.append(
                        {
                            "kind": str(model._meta.verbose_name),
                            "code": str(row.code),
                            "created_at": row.created_at.isoformat(),
                            "reason": str(e),
                        }
                    )
                    continue
            items.append(item)
        if items:
            content.append(
                {
                    "kind": str(model._meta.verbose_name_plural),
                    "model": model._meta.label_lower,
                    "items": items,
                }
            )
    memberships = Membership.objects.filter(user=user).select_related("space")
    log = AccessLog.objects.for_member(user).order_by("-viewed_at")
    return {
        "format": "mend-export/1",
        "exported_at": timezone.now().isoformat(),
        "about": _(
            "Everything you wrote in Mend, and the access log of your space. What "
            "your partner wrote is theirs and is not included, even what they shared."
        ),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "time_zone": user.time_zone,
            "joined_at": user.date_joined.isoformat(),
        },
        "memberships": [
            {
                "space": m.space.name,
                "space_code": str(m.space.code),
                "joined_at": m.joined_at.isoformat(),
                "left_at": m.left_at.isoformat() if m.left_at else None,
            }
            for m in memberships
        ],
        "content": content,
        "locked": locked,
        "access_log": [
            {
                "viewed_at": e.viewed_at.isoformat(),
                "viewer": e.viewer_name,
                "viewer_role": e.viewer_role,
                "kind": e.kind,
                "object_code": str(e.object_code),
            }
            for e in log
        ],
    }
