from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mend.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username, or with an email address that only one person uses."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username and "@" in username:
            matches = list(User.objects.filter(email__iexact=username)[:2])
            if len(matches) == 1:
                username = matches[0].username
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
