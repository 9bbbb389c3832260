"""The calendar feed: a real iCalendar parser and a real calendar client read it."""

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.test import Client
from icalendar import Calendar

from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.calendar.models import Feed
from mend.checkins import actions
from mend.commitments.models import Commitment, Words
from mend.conversations import actions as conversations
from mend.couples.models import Space
from mend.lib.recurrence import DAILY, WEEKLY, Schedule
from mend.story.models import Ritual

ClientFor = Callable[[User], Client]
NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
# Words the couple wrote: none may reach a calendar event.
INTIMATE = (
    "touching slowly",
    "Our secret ritual",
    "never lie about money",
    "no contact with Sam",
    "bath together by candlelight",
    "the night at the hotel",
)


@pytest.fixture(autouse=True)
def _frozen() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rhythm(space: Space, ana: User, ben: User) -> Space:
    # Ana set a daily 20:00 on her Berlin clock; Ben lives in New York.
    ben.time_zone = "America/New_York"
    ben.save(update_fields=["time_zone"])
    actions.add_check_in(
        space,
        ana,
        kind="daily",
        name=INTIMATE[1],
        prompts=[{"text": INTIMATE[0], "is_slider": True}],
        schedule=Schedule(
            starts_on=dt.date(2027, 3, 10),
            at=dt.time(20, 0),
            zone="Europe/Berlin",
            frequency=DAILY,
        ),
    )
    agreement = Agreement.propose(
        space, ana, category=Category.values[0], text=INTIMATE[2]
    )
    Agreement.objects.filter(pk=agreement.pk).update(review_on=dt.date(2027, 3, 20))
    Commitment.make(
        space,
        ben,
        Words(text=INTIMATE[3], frequency=WEEKLY, starts_on=dt.date(2027, 3, 2)),
    )
    Ritual.start(
        space,
        ana,
        title=INTIMATE[4],
        starts_on=dt.date(2027, 3, 5),
        at=dt.time(21, 0),
        frequency=WEEKLY,
    )
    conversations.propose(
        space,
        ben,
        topics=[INTIMATE[5]],
        minutes=30,
        starts_at=dt.datetime(2027, 3, 3, 19, 0, tzinfo=NEW_YORK),
    )
    return space


def _feed_url(client: Client) -> str:
    response = client.post("/api/calendar/feed")
    assert response.status_code == 201, response.content
    return str(response.json()["url"]).removeprefix("http://127.0.0.1:8000")


def test_it_requires_login(db: None) -> None:
    assert Client().get("/calendar/").status_code == 302
    assert Client().post("/api/calendar/feed").status_code == 401


def test_it_works(rhythm: Space, ben: User, client_for: ClientFor) -> None:
    b = client_for(ben)
    page = b.get("/calendar/").content.decode()
    assert "Check-in" in page and "Agreement review" in page
    assert not any(words in page for words in INTIMATE)
    page = b.post("/calendar/feed/new/").content.decode()
    assert "/calendar/feed/" in page


def test_it_hides_other_couples_data(
    rhythm: Space, dan: User, client_for: ClientFor
) -> None:
    d = client_for(dan)
    assert "Nothing planned yet" in d.get("/calendar/").content.decode()
    assert d.get("/api/calendar/upcoming").json() == []
    body = Client().get(_feed_url(d)).content.decode()
    assert "Check-in" not in body and "Agreement review" not in body


def test_the_feed_expands_in_each_time_zone(
    rhythm: Space, ben: User, client_for: ClientFor
) -> None:
    response = Client().get(_feed_url(client_for(ben)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Check-in",
        "Agreement review",
        "Commitment",
        "Ritual",
        "Conversation",
    }
    talk = events["Conversation"]
    assert talk.decoded("DTSTART") == dt.datetime(2027, 3, 3, 19, 0, tzinfo=NEW_YORK)
    assert talk.decoded("DTEND") - talk.decoded("DTSTART") == dt.timedelta(minutes=30)
    # Ben's commitment on his New York clock, Ana's ritual and check-in on Berlin's.
    zones = sorted(str(z["TZID"]) for z in calendar.walk("VTIMEZONE"))
    assert zones == ["America/New_York", "Europe/Berlin"]
    commitment = events["Commitment"].decoded("DTSTART")
    assert commitment == dt.datetime(2027, 3, 2, 9, 0, tzinfo=NEW_YORK)
    check_in = events["Check-in"]
    start = check_in.decoded("DTSTART")
    assert start == dt.datetime(2027, 3, 10, 20, 0, tzinfo=BERLIN)
    text = check_in["RRULE"].to_ical()
    assert isinstance(text, bytes)
    rule = rrulestr(text.decode(), dtstart=start)
    seen = [m.astimezone(NEW_YORK) for m in islice(rule, 20)]
    # Ben's clock: New York changes on 14 March, Berlin on 28 March.
    assert [(m.day, m.hour) for m in seen[:2]] == [(10, 14), (11, 14)]
    assert (seen[4].day, seen[4].hour) == (14, 15)
    assert (seen[18].day, seen[18].hour) == (28, 14)
    assert all(m.astimezone(BERLIN).hour == 20 for m in seen)
    review = events["Agreement review"]
    assert review.decoded("DTSTART") == dt.date(2027, 3, 20)


def test_nothing_intimate_leaves_in_the_feed(
    rhythm: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    for person in (ana, ben):
        body = Client().get(_feed_url(client_for(person))).content.decode()
        for title in ("Check-in", "Commitment", "Ritual", "Conversation"):
            assert f"SUMMARY:{title}" in body
        assert not any(words.lower() in body.lower() for words in INTIMATE), body


def test_a_revoked_feed_answers_410_and_a_new_one_works(
    rhythm: Space, ana: User, client_for: ClientFor
) -> None:
    a = client_for(ana)
    old = _feed_url(a)
    new = _feed_url(a)
    gone = Client().get(old)
    assert gone.status_code == 410 and b"VCALENDAR" not in gone.content
    assert Client().get(new).status_code == 200
    assert a.delete("/api/calendar/feed").status_code == 204
    assert Client().get(new).status_code == 410
    assert Client().get("/calendar/feed/not-a-secret.ics").status_code == 404
    assert not Feed.objects.live().exists()
    assert Client().post(new).status_code == 405


@pytest.mark.skipif(
    shutil.which("khal") is None, reason="Debian's khal is not installed"
)
def test_khal_imports_the_feed_and_reads_the_events_back(
    rhythm: Space, ben: User, client_for: ClientFor, tmp_path: Path
) -> None:
    feed = tmp_path / "mend.ics"
    feed.write_bytes(Client().get(_feed_url(client_for(ben))).content)
    (tmp_path / "cal").mkdir()
    config = tmp_path / "config"
    config.write_text(
        "[calendars]\n[[mend]]\npath = {}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = America/New_York\ndefault_timezone = America/New_York\n".format(
            tmp_path / "cal"
        )
    )
    khal = ["khal", "-c", str(config)]
    subprocess.run(  # noqa: S603  # a fixed command on our own files
        [*khal, "import", "--batch", "-a", "mend", str(feed)],
        check=True,
        capture_output=True,
    )
    listed = subprocess.run(  # noqa: S603  # a fixed command on our own files
        [
            *khal,
            "list",
            "--format",
            "{start} {title}",
            "--day-format",
            "",
            "2027-03-12",
            "2027-03-30",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    lines = [line for line in listed if line.strip()]
    assert "2027-03-13 14:00 Check-in" in lines
    assert "2027-03-14 15:00 Check-in" in lines
    assert "2027-03-28 14:00 Check-in" in lines
    assert any(
        line.startswith("2027-03-20") and "Agreement review" in line for line in lines
    )
    assert "Cannot find timezone" not in " ".join(listed)


def test_the_feed_speaks_its_owners_language(
    rhythm: Space, ben: User, client_for: ClientFor
) -> None:
    # A phone's calendar app asks for no language: the owner's choice decides.
    ben.language = "es"
    ben.save(update_fields=["language"])
    body = Client().get(_feed_url(client_for(ben))).content.decode()
    assert "Revisión de acuerdos" in body
    assert "Agreement review" not in body
