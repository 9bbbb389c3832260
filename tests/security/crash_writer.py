"""Write journal entries until killed, printing each code once its commit returned.

Run by test_crash_safety.py against a SQLite file in MEND_VAR_DIR. `setup` makes a
person with a space. `serve` loads Django once, then for each line on stdin forks a
writer that writes private and shared entries one by one, for ever, printing
"ack <code>" after each commit, until the test kills it; then it prints "done".
Forking keeps each round to milliseconds instead of a full start-up.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")

import django

django.setup()

from django.db import connections  # noqa: E402  # after django.setup()

from mend.accounts.actions import sign_up  # noqa: E402
from mend.accounts.models import Keyring, User  # noqa: E402
from mend.couples.actions import create_space  # noqa: E402
from mend.couples.models import Space  # noqa: E402
from mend.journal.actions import write_entry  # noqa: E402

PASSWORD = "a long enough passphrase 1"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write_for_ever(user: User, space: Space, key: bytes) -> None:
    n = 0
    while True:
        n += 1
        entry = write_entry(
            space, user, key, title=f"entry {n}", body="x" * (n % 500), share=n % 2 == 0
        )
        # Acknowledged only after write_entry's transaction committed.
        say(f"ack {entry.code.hex}")


def main() -> None:
    if sys.argv[1] == "setup":
        user, _key, _code = sign_up(
            username="ana", password=PASSWORD, display_name="Ana"
        )
        create_space(user)
        return
    user = User.objects.get(username="ana")
    space = Space.objects.for_member(user).get()
    key = Keyring.objects.get(user=user).open_with_password(PASSWORD)
    for _line in sys.stdin:
        # No connection may cross a fork: each writer opens its own.
        connections.close_all()
        pid = os.fork()
        if pid == 0:
            write_for_ever(user, space, key)
        say(f"child {pid}")
        os.waitpid(pid, 0)
        say("done")


if __name__ == "__main__":
    main()
