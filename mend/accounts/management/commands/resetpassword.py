"""`mend resetpassword <username>`: the only power a Mend administrator has.

It sets a new password and starts a new data key. The old key cannot be opened
without the person's password or recovery code, which the host never has, so their
earlier private entries stay sealed: an administrator can let someone back in, never
read what they wrote.
"""

import getpass
import sys
from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.actions import reset_without_recovery
from mend.accounts.models import User
from mend.accounts.sessions import end_all


class Command(BaseCommand):
    help = (
        "Set a new password for someone who lost both their password and recovery "
        "code. Their earlier private entries stay sealed for good."
    )

    # Tests pass their own stdin to call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the new password from standard input instead of asking.",
        )
        parser.add_argument(
            "--turn-off-two-factor",
            action="store_true",
            help="Also turn off two-step sign-in (a lost phone).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account is called {options['username']!r}.")
        if options["password_stdin"]:
            stdin = cast(TextIO, options.get("stdin", sys.stdin))
            password = stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("New password: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("The two passwords differ; nothing changed.")
        try:
            code = reset_without_recovery(user, password)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        end_all(user)  # every session and its row, not the rows alone
        if options["turn_off_two_factor"]:
            TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(
            "Password reset. Private entries written before now stay sealed: "
            "nobody can open them.\n"
            f"New recovery code (give it to {user.username} only, once): {code}"
        )
