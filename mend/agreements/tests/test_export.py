from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.agreements.tests.helpers import active
from mend.couples.models import Space
from mend.lib.pdf import fit


def test_it_requires_login(db: None) -> None:
    assert Client().get("/agreements/print/").status_code == 302
    assert Client().get("/agreements/our-agreement.pdf").status_code == 302


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    active(space, ana, ben, "We say “goodnight” — always, even after a hard day.")
    a = client_for(ana)
    page = a.get("/agreements/print/")
    assert "We say “goodnight”".encode() in page.content
    assert b"affirmed by Ben on" in page.content
    pdf = a.get("/agreements/our-agreement.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_shipped_font_keeps_text_and_marks_what_it_cannot_draw() -> None:
    assert fit("“goodnight” — 💛") == "“goodnight” — [yellow heart]"


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    active(space, ana, ben, "Only ours")
    d = client_for(dan)
    assert b"Only ours" not in d.get("/agreements/print/").content
    assert b"No items are in force yet." in d.get("/agreements/print/").content
