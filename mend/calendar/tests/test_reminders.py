"""Reminders through a real SMTP server the test starts (aiosmtpd)."""

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings

from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.calendar.reminders import run_once
from mend.calendar.tests.smtp import Inbox, free_port, smtp_server
from mend.checkins import actions
from mend.checkins.tests.helpers import TODAYS, daily
from mend.couples.models import Space
from mend.notify.models import Delivery, ReminderChoice, set_email

ClientFor = Callable[[User], Client]
# 20:30 in Berlin: the daily 20:00 check-in has come.
NOW = dt.datetime(2026, 11, 26, 19, 30, tzinfo=dt.UTC)
INTIMATE = ("Our secret ritual", "How close do I feel today?", "never lie about money")


def _smtp(port: int) -> override_settings:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    )


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as (box, port), _smtp(port):
        yield box


@pytest.fixture
def rhythm(space: Space, ana: User, ben: User) -> Space:
    for person, address in ((ana, "ana@example.org"), (ben, "ben@example.org")):
        person.email = address
        person.save(update_fields=["email"])
    daily(space, ana, name=INTIMATE[0])
    return space


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_requires_login(db: None) -> None:
    assert Client().get("/api/reminders/").status_code == 401
    assert (
        Client().post("/calendar/reminders/", {"topic": "checkin-daily"}).status_code
        == 302
    )


def test_it_works(rhythm: Space, ana: User, client_for: ClientFor) -> None:
    a = client_for(ana)
    choices = a.get("/api/reminders/").json()["choices"]
    assert {c["topic"]: c["email"] for c in choices}["checkin-daily"] is False
    response = a.post("/calendar/reminders/", {"topic": "checkin-daily", "email": "on"})
    assert response.status_code == 302
    choices = a.get("/api/reminders/").json()["choices"]
    assert {c["topic"]: c["email"] for c in choices}["checkin-daily"] is True


def test_it_hides_other_couples_data(rhythm: Space, dan: User, inbox: Inbox) -> None:
    dan.email = "dan@example.org"
    dan.save(update_fields=["email"])
    set_email(dan, "checkin-daily", True)
    assert run_once() == 0
    assert inbox.messages == []


def test_it_refuses_an_unknown_kind(
    rhythm: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).put(
        "/api/reminders/everything", {"email": True}, content_type="application/json"
    )
    assert response.status_code == 404


def test_it_sends_nothing_by_default(rhythm: Space, inbox: Inbox) -> None:
    assert run_once() == 0
    assert inbox.messages == []


def test_it_sends_a_neutral_reminder_through_smtp(
    rhythm: Space, ana: User, inbox: Inbox
) -> None:
    set_email(ana, "checkin-daily", True)
    assert run_once() == 1
    [message] = inbox.messages
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "A reminder from Mend"
    body = message.get_content()
    assert f"{settings.SITE_URL}/checkins/" in body
    assert "/reminders/stop/" in body
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith(f"<{settings.SITE_URL}/reminders/stop/")
    )
    text = message.as_string().lower()
    assert not any(words.lower() in text for words in INTIMATE)


def test_it_sends_each_reminder_once(
    rhythm: Space, ana: User, ben: User, inbox: Inbox
) -> None:
    set_email(ana, "checkin-daily", True)
    set_email(ben, "checkin-daily", True)
    assert run_once() == 2
    assert run_once() == 0
    assert inbox.to() == ["ana@example.org", "ben@example.org"]
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert run_once() == 2
    assert len(inbox.messages) == 4
    with time_machine.travel(NOW + dt.timedelta(days=16), tick=False):
        run_once()
        assert (
            Delivery.objects.filter(claimed_at__lt=NOW + dt.timedelta(days=2)).count()
            == 0
        )


def test_it_sends_nothing_once_answered(rhythm: Space, ana: User, inbox: Inbox) -> None:
    set_email(ana, "checkin-daily", True)
    from mend.checkins.models import CheckIn

    actions.answer(
        CheckIn.objects.get(),
        ana,
        None,
        occurs_at=TODAYS,
        answers={"One thing I need": "rest"},
        share=True,
    )
    assert run_once() == 0


def test_one_click_stops_a_kind(
    rhythm: Space, ana: User, ben: User, inbox: Inbox
) -> None:
    set_email(ana, "checkin-daily", True)
    run_once()
    link = inbox.messages[0]["List-Unsubscribe"].strip().strip("<>")
    path = link.removeprefix(settings.SITE_URL)
    anyone = Client(enforce_csrf_checks=True)
    page = anyone.get(path).content.decode()
    assert "Stop e-mails" in page
    assert ReminderChoice.objects.get(user=ana).is_email_on  # a GET changes nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = anyone.post(path, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 200
    assert "no more e-mails" in response.content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert run_once() == 0
    assert anyone.get("/reminders/stop/forged-token/").status_code == 404


def test_a_failed_send_is_tried_again_after_the_lease(rhythm: Space, ana: User) -> None:
    set_email(ana, "checkin-daily", True)
    with _smtp(free_port()):  # nobody listens there
        assert run_once() == 0
    assert Delivery.objects.get().sent_at is None
    with smtp_server() as (box, port), _smtp(port):
        assert run_once() == 0  # still claimed, within the lease
        later = NOW + dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
        with time_machine.travel(later, tick=False):
            assert run_once() == 1
            assert run_once() == 0
        assert box.to() == ["ana@example.org"]


def test_it_reminds_of_an_agreement_review(
    rhythm: Space, ana: User, inbox: Inbox
) -> None:
    agreement = Agreement.propose(
        rhythm, ana, category=Category.values[0], text=INTIMATE[2]
    )
    Agreement.objects.filter(pk=agreement.pk).update(review_on=dt.date(2026, 11, 26))
    set_email(ana, "agreement-review", True)
    assert run_once() == 1
    [message] = inbox.messages
    assert "/agreements/" in message.get_content()
    assert INTIMATE[2] not in message.as_string()


def test_a_spanish_speaker_gets_the_reminder_in_spanish(
    rhythm: Space, ana: User, ben: User, inbox: Inbox
) -> None:
    ana.language = "es"
    ana.save(update_fields=["language"])
    set_email(ana, "checkin-daily", True)
    set_email(ben, "checkin-daily", True)
    assert run_once() == 2
    by_person = {m["To"]: m for m in inbox.messages}
    spanish, english = by_person["ana@example.org"], by_person["ben@example.org"]
    assert spanish["Subject"] == "Un recordatorio de Mend"
    body = spanish.get_content()
    assert "Algo en su espacio compartido te espera" in body
    assert "Para dejar de recibir estos correos" in body
    assert "/reminders/stop/" in body
    # The other person's language is theirs: Ben chose none, so English.
    assert english["Subject"] == "A reminder from Mend"
