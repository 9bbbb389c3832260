from django_stubs_ext import StrOrPromise


class Refused(Exception):
    """A request Mend cannot honour; the message tells the person why, in plain words.

    Domain actions raise it (or a subclass); pages show the message and the API
    answers with it and the status.
    """

    status = 400

    def __init__(self, message: StrOrPromise, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


def check_encodable(value: str) -> str:
    """Return VALUE, or raise Refused if it holds a lone surrogate (not storable text).

    JSON can carry one ("\\ud800"); no database can store it, so it is refused here
    with a clear message instead of failing at the write.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        from django.utils.translation import gettext as _

        raise Refused(
            _("This text holds a character that isn't valid text. Please retype it.")
        ) from e
    return value
