from django.http import HttpRequest

from mend.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
