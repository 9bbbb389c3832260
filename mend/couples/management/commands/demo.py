from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mend.accounts.actions import sign_up
from mend.accounts.models import User
from mend.couples import actions

PASSWORD = "a long enough passphrase 1"


class Command(BaseCommand):
    help = (
        "Create a demo couple, Ana and Ben, for a first look (never on a real server)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username__in=["ana", "ben"]).exists():
            raise CommandError("The demo couple already exists: sign in as ana or ben.")
        ana, _key, _code = sign_up(
            username="ana", password=PASSWORD, display_name="Ana"
        )
        ben, _key, _code = sign_up(
            username="ben", password=PASSWORD, display_name="Ben"
        )
        space = actions.create_space(ana, name="Ana & Ben", roles_answer="mine")
        _invite, code = actions.issue_invite(space, ana)
        actions.join(ben, code)
        self.stdout.write(f"Sign in as ana or ben with the password: {PASSWORD}")
