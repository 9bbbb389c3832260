"""The small things people expect (#18), each where the page that shows it lives."""

from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.intimacy.models import Plan
from mend.journal.models import JournalEntry
from mend.safety.models import Trigger


def test_signed_out_pages_link_to_help_and_breathing(db: None) -> None:
    for path in ("/accounts/login/", "/accounts/signup/", "/safety/help/"):
        html = Client().get(path).content.decode()
        assert 'href="/safety/grounding/">Breathe</a>' in html, path
        assert 'href="/safety/help/">Help</a>' in html, path


def test_slow_forms_say_they_are_working(db: None) -> None:
    signup = Client().get("/accounts/signup/").content.decode()
    assert 'data-busy="Creating your account…"' in signup
    login = Client().get("/accounts/login/").content.decode()
    assert 'data-busy="Signing you in…"' in login
    assert 'role="status" data-busy-status' in login


def test_deleting_a_journal_entry_asks_with_its_name(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.post("/journal/new/", {"title": "Tuesday night", "body": "words"})
    entry = JournalEntry.objects.get()
    html = client.get(f"/journal/{entry.code}/").content.decode()
    assert '<details class="confirm">' in html
    assert "Delete “Tuesday night”, written " in html
    # The delete button sits inside the question; posting it deletes.
    question = html.split('<details class="confirm">', 1)[1].split("</details>", 1)[0]
    assert f'action="/journal/{entry.code}/delete/"' in question
    client.post(f"/journal/{entry.code}/delete/")
    assert not JournalEntry.objects.exists()


def test_deleting_a_trigger_note_asks_with_its_words(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.post(
        "/safety/triggers/new/",
        {"what": "A song on the radio", "when": "", "intensity": 4, "helped": ""},
    )
    note = Trigger.objects.get()
    html = client.get(f"/safety/triggers/{note.code}/").content.decode()
    question = html.split('<details class="confirm">', 1)[1].split("</details>", 1)[0]
    assert "Delete the note “A song on the radio”, written " in question
    assert f'action="/safety/triggers/{note.code}/delete/"' in question


def test_removing_a_ladder_step_asks_with_its_name(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.get("/intimacy/")
    step = Plan.objects.get().ordered_steps()[-1]
    html = client.get("/intimacy/").content.decode()
    assert f"Remove “{step.title}” from your ladder?" in html
    assert f"Remove “{step.title}”</button>" in html
    # Drawn as steps: the ladder is an ordered list the CSS numbers and joins.
    assert (
        '<ol class="ladder">' in html and 'aria-current="step" class="current"' in html
    )
