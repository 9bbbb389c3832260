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
