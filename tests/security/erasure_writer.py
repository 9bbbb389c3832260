"""Write, unshare and erase text while holding the database open, as a server would.

Run by test_erasure_at_rest.py against a SQLite file in MEND_VAR_DIR. Each line on
stdin names a step; the script does it and prints "done <step>", keeping its
connection open so SQLite does not tidy its files as it would on the last close.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")

import django

django.setup()

from mend.accounts.actions import sign_up  # noqa: E402
from mend.accounts.models import Keyring, User  # noqa: E402
from mend.couples.actions import create_space, issue_invite, join  # noqa: E402
from mend.journal.actions import write_entry  # noqa: E402
from mend.journal.models import JournalEntry  # noqa: E402
from mend.privacy.actions import erase_account, leave_space  # noqa: E402

PASSWORD = "a long enough passphrase 1"


def person(name: str) -> tuple[User, bytes]:
    user, key, _code = sign_up(
        username=name, password=PASSWORD, display_name=name.title(), time_zone="UTC"
    )
    return user, key


def step(name: str, markers: list[str]) -> None:
    if name == "write":
        ana, key = person("ana")
        ben, _key = person("ben")
        space = create_space(ana, roles_answer="unsaid")
        _invite, code = issue_invite(space, ana)
        join(ben, code)
        for i, marker in enumerate(markers):
            write_entry(space, ana, key, title=f"t{i}", body=marker, share=True)
    ana = User.objects.get(username="ana")
    if name == "unshare":
        key = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
        entry = JournalEntry.objects.get(shared_content__body=markers[0])
        entry.set_shared(key, ana, share=False)
    if name == "delete":
        JournalEntry.objects.get(shared_content__body=markers[1]).delete()
    if name == "leave":
        leave_space(ana, keep_shared=False)
    if name == "erase":
        erase_account(User.objects.get(username="ben"), keep_shared=False)


def main() -> None:
    markers = sys.argv[1:]
    for line in sys.stdin:
        step(line.strip(), markers)
        sys.stdout.write(f"done {line.strip()}\n")
        sys.stdout.flush()


main()
