from collections.abc import Callable
from datetime import UTC, datetime

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import CrossingReport, Repair
from mend.agreements.tests.helpers import active, proposed
from mend.couples.models import Space
from mend.privacy.models import AccessLog

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
REPAIR = {
    "feelings": "I felt ashamed and scared.",
    "view": "I replied to a message and didn't mention it.",
    "triggers": "",
    "responsibility": "I chose not to tell you. I'm sorry.",
    "step": "I'll tell you the same evening.",
    "talk_at": "2026-11-27T19:00",
}


def _report(client: Client, code: str) -> CrossingReport:
    response = client.post(
        f"/agreements/{code}/report/",
        {
            "what_happened": "A message from an ex, unmentioned.",
            "happened_on": "2026-11-25",
            "how_it_felt": "I felt scared.",
        },
    )
    assert response.status_code == 302, response.content
    return CrossingReport.objects.get()


def test_it_requires_login(space: Space, ana: User, ben: User) -> None:
    agreement = active(space, ana, ben)
    assert Client().get(f"/agreements/{agreement.code}/report/").status_code == 302


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        a, b = client_for(ana), client_for(ben)
        report = _report(a, str(agreement.code))
        page = b.get(f"/agreements/reports/{report.code}/")
        assert b"A message from an ex, unmentioned." in page.content
        assert b"Answer with a repair" in page.content
        assert b"excuse" not in page.content.split(b"<form", 1)[1].split(b"</form>")[
            0
        ].lower().replace(b"no place for excuses", b"")
        response = b.post(f"/agreements/reports/{report.code}/repair/", REPAIR)
        assert response.status_code == 302, response.content
        page = a.get(f"/agreements/reports/{report.code}/")
        assert b"I chose not to tell you." in page.content
        a.post(
            f"/agreements/reports/{report.code}/reply/",
            {"outcome": "heard", "step": "I'll ask calmly."},
        )
        report.refresh_from_db()
        assert report.status == "heard"
        # Views by the other partner are in the access log; the author's own are not.
        kinds = sorted(
            AccessLog.objects.for_member(ana).values_list("viewer__username", "kind")
        )
        assert kinds == [("ana", "repair"), ("ben", "crossed-boundary report")]
        history = a.get(f"/agreements/{agreement.code}/history/")
        assert b"answered with a repair" in history.content
        assert b"marked the repair as heard" in history.content


def test_it_names_whose_view_and_step_in_plain_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        a, b = client_for(ana), client_for(ben)
        report = _report(a, str(agreement.code))
        b.post(f"/agreements/reports/{report.code}/repair/", REPAIR)
        a.post(
            f"/agreements/reports/{report.code}/reply/",
            {"outcome": "heard", "step": "I'll ask calmly."},
        )
        mine = a.get(f"/agreements/reports/{report.code}/").content.decode()
        theirs = b.get(f"/agreements/reports/{report.code}/").content.decode()
    assert "Your step" in mine
    assert "Ben's view of what happened" in mine
    assert "Your view of what happened" in theirs
    assert "Ana's step" in theirs
    for page in (mine, theirs):
        assert "You's" not in page
        assert "Their own view" not in page


def test_it_refuses_bad_input(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        a, b = client_for(ana), client_for(ben)
        report = _report(a, str(agreement.code))
        past = dict(REPAIR, talk_at="2026-11-20T19:00")
        assert (
            b"still ahead"
            in b.post(f"/agreements/reports/{report.code}/repair/", past).content
        )
        huge = dict(REPAIR, responsibility="x" * 20_000)
        assert (
            b"at most 2000"
            in b.post(f"/agreements/reports/{report.code}/repair/", huge).content
        )
        mine = a.post(f"/agreements/reports/{report.code}/repair/", REPAIR)
        assert b"Your partner answers this" in mine.content
        assert not Repair.objects.exists()
        not_yet = proposed(space, ana, "Something new")
        response = b.post(
            f"/agreements/{not_yet.code}/report/",
            {"what_happened": "x", "how_it_felt": "y"},
        )
        assert b"in force" in response.content
        assert CrossingReport.objects.count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        report = _report(client_for(ana), str(agreement.code))
        d = client_for(dan)
        assert d.get(f"/agreements/reports/{report.code}/").status_code == 404
        assert (
            d.post(f"/agreements/reports/{report.code}/repair/", REPAIR).status_code
            == 404
        )
        assert d.get(f"/api/agreements/reports/{report.code}").status_code == 404
        assert not Repair.objects.exists()
        assert not AccessLog.objects.exists()


def test_it_logs_a_report_shown_in_a_list(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    # A list shows the start of the other's words: that is a view, logged like any.
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        report = _report(client_for(ana), str(agreement.code))
        b = client_for(ben)
        for page in ("/agreements/", f"/agreements/{agreement.code}/"):
            AccessLog.objects.all().delete()
            assert b"A message from an ex" in b.get(page).content
            seen = list(
                AccessLog.objects.for_member(ana).values_list(
                    "viewer__username", "kind", "object_code"
                )
            )
            assert seen == [("ben", "crossed-boundary report", report.code)], page
        # The author's own lists log nothing.
        AccessLog.objects.all().delete()
        a = client_for(ana)
        a.get("/agreements/")
        a.get(f"/agreements/{agreement.code}/")
        assert not AccessLog.objects.exists()
