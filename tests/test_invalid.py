"""The API's 422 words (mend/lib/invalid.py), from pydantic's own error types."""

from typing import Any

import pytest
from django.utils import translation

from mend.lib.invalid import message


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ({"type": "missing"}, "This is needed."),
        (
            {"type": "string_too_long", "ctx": {"max_length": 120}},
            "Please keep this to 120 characters.",
        ),
        (
            {"type": "too_long", "ctx": {"max_length": 1}},
            "Please give at most 1 item.",
        ),
        ({"type": "less_than_equal", "ctx": {"le": 10}}, "This should be 10 or less."),
        (
            {"type": "literal_error", "ctx": {"expected": "'once' or 'daily'"}},
            "This should be one of: 'once' or 'daily'.",
        ),
        (
            {"type": "datetime_from_date_parsing"},
            "This should be a date and time, with its time zone.",
        ),
        (
            {"type": "timezone_aware"},
            "This should be a date and time, with its time zone.",
        ),
        ({"type": "date_parsing"}, "This should be a date (YYYY-MM-DD)."),
        ({"type": "uuid_parsing"}, "This should be a code Mend gave (a UUID)."),
        ({"type": "int_from_float"}, "This should be a whole number."),
        # Types Mend has no words for, and ninja's own cursor error, still get some.
        ({"type": "url_scheme"}, "This value isn't valid here."),
        ({"cursor": "Invalid Cursor"}, "This value isn't valid here."),
    ],
)
def test_it_words_each_kind_of_error(error: dict[str, Any], words: str) -> None:
    with translation.override("en"):
        assert message(error) == words


def test_it_speaks_spanish_when_asked() -> None:
    with translation.override("es"):
        assert message({"type": "int_parsing"}) == "Debe ser un número entero."
