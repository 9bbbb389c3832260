from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from mend.accounts import throttle
from mend.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username, or with an email address that only one person uses.

    Every try is throttled per account (accounts.throttle): while the allowance is
    used up it raises throttle.Throttled before any password is checked.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        account = throttle.account_for(username)
        if request is not None:
            throttle.guard(request, account)
        if username and "@" in username:
            matches = list(User.objects.filter(email__iexact=username)[:2])
            if len(matches) == 1:
                username = matches[0].username
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if user is None and request is not None:
            throttle.failed(request, account)
        return user if isinstance(user, User) else None
