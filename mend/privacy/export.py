"""Everything one person wrote, with human labels and their own time zone's dates.

Rule: an export holds what the person wrote, never what their partner wrote. Each
couple-owned model with an author key is found through the app registry (see
actions.authored_models), so a feature added later is exported without touching
this module; its fields are labelled by an `export_labels` class attribute (field
or content name -> label), else by their verbose names. A model whose words need
more than its own row (an agreement's versions, a sealed inventory answer) defines
`export_entries(user, key)` returning entries made with `entry()`.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.couples.models import Membership
from mend.lib.errors import Refused
from mend.privacy.actions import authored_models
from mend.privacy.models import AccessLog, PrivateContent

FORMAT = "mend-export/2"
# Bookkeeping fields that say nothing a person wrote; the entry's own date and
# sharing state are shown apart from its fields.
_SKIPPED = {"code", "created_at", "is_shared", "updated_at"}


def moment(user: User, value: datetime | None) -> str | None:
    """Return VALUE in the person's time zone, to the second, as ISO 8601."""
    if value is None:
        return None
    return timezone.localtime(value, user.tzinfo).replace(microsecond=0).isoformat()


def human(user: User, value: Any) -> str:
    """Return VALUE as a person reads it: dates in their time zone, yes or no."""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value, user.tzinfo), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def entry(
    user: User,
    *,
    title: str,
    at: datetime | None,
    fields: Mapping[Any, Any],
    shared: bool | None = None,
) -> dict[str, Any]:
    """Return one exported entry; empty fields are left out."""
    return {
        "title": str(title),
        "written_at": moment(user, at),
        "shared": shared,
        "fields": {
            str(label): human(user, value)
            for label, value in fields.items()
            if value not in (None, "")
        },
    }


def _row_fields(row: models.Model, user: User) -> dict[str, Any]:
    labels: Mapping[str, str] = getattr(type(row), "export_labels", {})
    out: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if (
            field.primary_key
            or field.name in _SKIPPED
            or isinstance(
                field, models.ForeignKey | models.BinaryField | models.JSONField
            )
        ):
            continue
        value = field.value_from_object(row)
        if field.choices and value not in (None, ""):
            value = getattr(row, f"get_{field.name}_display")()
        label = labels.get(field.name) or capfirst(str(field.verbose_name))
        out[str(label)] = value
    return out


def _generic(
    model: type[models.Model], field: str, user: User, key: bytes | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (entries, locked) for the rows of MODEL that USER wrote."""
    labels: Mapping[str, str] = getattr(model, "export_labels", {})
    title = capfirst(str(model._meta.verbose_name))
    entries, locked = [], []
    rows = model._default_manager.filter(**{field: user}).order_by("pk")
    for row in rows:
        at = getattr(row, "created_at", None)
        fields: dict[str, Any] = {}
        shared = None
        if isinstance(row, PrivateContent):
            shared = row.is_shared
            try:
                content = row.content(key, user)
            except Refused as e:
                locked.append(
                    {"kind": title, "written_at": moment(user, at), "reason": str(e)}
                )
                continue
            for name, value in content.items():
                label = labels.get(name) or capfirst(name.replace("_", " "))
                fields[str(label)] = value
        fields.update(_row_fields(row, user))
        entries.append(entry(user, title=title, at=at, fields=fields, shared=shared))
    return entries, locked


def _sources() -> Iterable[tuple[type[models.Model], str | None]]:
    authored = dict(authored_models())
    for model in apps.get_models():
        if hasattr(model, "export_entries"):
            yield model, None
        elif model in authored:
            yield model, authored[model]


def build_export(user: User, key: bytes | None) -> dict[str, Any]:
    """Return everything USER wrote, opened with their KEY where it is sealed.

    Entries that cannot be opened (locked session, or sealed before a reset without
    the recovery code) are listed under "locked" instead, so nothing goes missing
    silently. Nothing the partner wrote is included, shared or not.
    """
    content: list[dict[str, Any]] = []
    locked: list[dict[str, Any]] = []
    for model, field in _sources():
        if field is None:
            found, closed = model.export_entries(user, key)  # type: ignore[attr-defined]  # the hook this module documents
        else:
            found, closed = _generic(model, field, user, key)
        locked.extend(closed)
        if found:
            kind = getattr(model, "export_kind", None) or capfirst(
                str(model._meta.verbose_name_plural)
            )
            content.append({"kind": str(kind), "items": found})
    memberships = Membership.objects.filter(user=user).select_related("space")
    log = AccessLog.objects.for_member(user).order_by("-viewed_at")
    return {
        "format": FORMAT,
        "exported_at": moment(user, timezone.now()),
        "about": _(
            "Everything you wrote in Mend, and the access log of your space. What "
            "your partner wrote is theirs and is not included, even what they shared. "
            "Dates and times are in your time zone, %(zone)s."
        )
        % {"zone": user.time_zone},
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "time_zone": user.time_zone,
            "joined_at": moment(user, user.date_joined),
        },
        "memberships": [
            {
                "space": m.space.name,
                "space_code": str(m.space.code),
                "joined_at": moment(user, m.joined_at),
                "left_at": moment(user, m.left_at),
            }
            for m in memberships
        ],
        "content": content,
        "locked": locked,
        "access_log": [
            {
                "viewed_at": moment(user, e.viewed_at),
                "viewer": e.viewer_name,
                "viewer_role": e.get_viewer_role_display(),
                "kind": _(e.kind),  # stored in English (privacy.models.in_english)
                "object_code": str(e.object_code),
            }
            for e in log
        ],
    }
