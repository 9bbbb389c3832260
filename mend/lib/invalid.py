"""Words for the API's 422 answers, in the person's language.

django-ninja answers invalid input with pydantic's errors, whose `msg` is English
whatever the request's language. Each error keeps its `type`, `loc` and `ctx` for
programs; `msg` is said again here, through gettext, from its type.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _count(ctx: dict[str, Any], key: str) -> int:
    value = ctx.get(key, 0)
    return value if isinstance(value, int) else 0


def _kind(error_type: str) -> str:
    """Return what the value should have been, by pydantic's error type."""
    for prefix, words in (
        ("datetime", _("This should be a date and time, with its time zone.")),
        ("date", _("This should be a date (YYYY-MM-DD).")),
        ("timezone", _("This should be a date and time, with its time zone.")),
        ("time", _("This should be a time of day (HH:MM).")),
        ("string_pattern", _("This isn't in the form expected here.")),
        ("string", _("This should be text.")),
        ("int", _("This should be a whole number.")),
        ("float", _("This should be a number.")),
        ("decimal", _("This should be a number.")),
        ("bool", _("This should be true or false.")),
        ("uuid", _("This should be a code Mend gave (a UUID).")),
        ("list", _("This should be a list.")),
        ("tuple", _("This should be a list.")),
        ("set", _("This should be a list.")),
        ("dict", _("This should be an object with named fields.")),
        ("model", _("This should be an object with named fields.")),
    ):
        if error_type.startswith(prefix):
            return words
    return _("This value isn't valid here.")


def message(error: dict[str, Any]) -> str:
    """Return ERROR (one of pydantic's, as ninja gives it) in the active language."""
    error_type = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if error_type == "missing":
        return _("This is needed.")
    if error_type == "string_too_short":
        n = _count(ctx, "min_length")
        return ngettext(
            "Please write at least %(n)d character.",
            "Please write at least %(n)d characters.",
            n,
        ) % {"n": n}
    if error_type == "string_too_long":
        n = _count(ctx, "max_length")
        return ngettext(
            "Please keep this to %(n)d character.",
            "Please keep this to %(n)d characters.",
            n,
        ) % {"n": n}
    if error_type == "too_short":
        n = _count(ctx, "min_length")
        return ngettext(
            "Please give at least %(n)d item.", "Please give at least %(n)d items.", n
        ) % {"n": n}
    if error_type == "too_long":
        n = _count(ctx, "max_length")
        return ngettext(
            "Please give at most %(n)d item.", "Please give at most %(n)d items.", n
        ) % {"n": n}
    if error_type == "greater_than_equal":
        return _("This should be %(n)s or more.") % {"n": ctx.get("ge")}
    if error_type == "greater_than":
        return _("This should be more than %(n)s.") % {"n": ctx.get("gt")}
    if error_type == "less_than_equal":
        return _("This should be %(n)s or less.") % {"n": ctx.get("le")}
    if error_type == "less_than":
        return _("This should be less than %(n)s.") % {"n": ctx.get("lt")}
    if error_type in ("literal_error", "enum"):
        return _("This should be one of: %(choices)s.") % {
            "choices": ctx.get("expected", "")
        }
    if error_type == "extra_forbidden":
        return _("This field isn't one Mend knows.")
    return _kind(error_type)
