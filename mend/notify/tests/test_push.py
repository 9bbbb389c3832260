"""Web Push through a push service the test starts on 127.0.0.1; no call leaves."""

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from mend.accounts.models import User
from mend.agreements.tests.helpers import proposed as proposed_agreement
from mend.calendar.reminders import run_once
from mend.checkins.tests.helpers import daily
from mend.commitments.models import Commitment, Question, Words
from mend.commitments.tests.test_accountability import key_of
from mend.conversations.tests.helpers import proposed
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.notify import push
from mend.notify.models import (
    Delivery,
    PushSubscription,
    Reminder,
    notify,
    notify_on_commit,
    set_push,
)
from mend.notify.tests.receiver import (
    Browser,
    PushService,
    b64,
    check_vapid,
    push_service,
)
from mend.safety import actions
from mend.story.models import StandFor

# 20:30 in Berlin: a daily 20:00 check-in has come.
EVENING = dt.datetime(2026, 11, 26, 19, 30, tzinfo=dt.UTC)
NEUTRAL = "Something in Mend is waiting for you"
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _vapid_key(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "vapid_private.pem"
    push.vapid.cache_clear()
    with override_settings(PUSH_VAPID_KEY_FILE=path, PUSH=True):
        yield path
    push.vapid.cache_clear()


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def subscribed(user: User, service: PushService, name: str = "phone") -> Browser:
    """Return a browser USER subscribed, as the settings page would keep it."""
    browser = Browser()
    # Straight into the table: the page accepts only https push services.
    PushSubscription.objects.create(
        user=user,
        name=name,
        endpoint=service.endpoint(name),
        p256dh=browser.p256dh,
        auth=b64(browser.auth),
    )
    return browser


def pause(space: Space, by: User, capture: Capture) -> None:
    with capture(execute=True):
        actions.send_signal(space, by, kind="pause", minutes=20)


def test_it_pushes_a_pause_to_the_partner_encrypted_end_to_end(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    browser = subscribed(ben, service)
    subscribed(ana, service, name="ana-phone")
    pause(space, ana, django_capture_on_commit_callbacks)

    assert [r.path for r in service.received] == ["/push/phone"]
    received = service.received[0]
    claims = check_vapid(received.headers["authorization"], service.origin)
    assert claims["k"] == push.public_key()
    assert received.headers["content-encoding"] == "aes128gcm"
    # The push service holds only ciphertext: no word of it is readable.
    assert NEUTRAL.encode() not in received.body
    assert b"Mend" not in received.body
    assert browser.decrypt(received.body) == {"title": "Mend", "body": NEUTRAL}


def test_it_pushes_a_proposed_conversation_to_the_partner(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    browser = subscribed(ben, service)
    with django_capture_on_commit_callbacks(execute=True):
        proposed(space, ana, topics=["The night of the party"])
    assert len(service.received) == 1
    assert browser.decrypt(service.received[0].body)["body"] == NEUTRAL


def test_it_sends_nothing_to_a_person_who_did_not_turn_it_on(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    subscribed(ana, service)  # the sender's own browser is not told
    pause(space, ana, django_capture_on_commit_callbacks)
    assert service.received == []


def test_it_sends_nothing_when_the_operator_turned_push_off(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    subscribed(ben, service)
    with override_settings(PUSH=False):
        pause(space, ana, django_capture_on_commit_callbacks)
    assert service.received == []
    assert not Delivery.objects.filter(user=ben).exists()


def test_it_sends_nothing_of_a_kind_turned_off(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    subscribed(ben, service)
    set_push(ben, "pause", False)
    pause(space, ana, django_capture_on_commit_callbacks)
    assert service.received == []
    set_push(ben, "pause", True)
    pause(space, ana, django_capture_on_commit_callbacks)
    assert len(service.received) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_it_removes_a_subscription_the_push_service_says_is_gone(
    ben: User, service: PushService, status: int
) -> None:
    subscribed(ben, service)
    service.status = status
    reminder = Reminder(user=ben, topic="checkin-daily", key="checkin:x:1", path="/")
    notify(reminder, "test")
    assert len(service.received) == 1
    assert not PushSubscription.objects.filter(user=ben).exists()


def test_it_tries_again_later_when_the_push_service_fails(
    ben: User, service: PushService
) -> None:
    subscribed(ben, service)
    service.status = 500
    reminder = Reminder(user=ben, topic="checkin-daily", key="checkin:x:2", path="/")
    assert notify(reminder, "test") == 0
    assert PushSubscription.objects.filter(user=ben).exists()
    assert Delivery.objects.get(user=ben, channel="push").sent_at is None


def test_it_pushes_one_reminder_once(ben: User, service: PushService) -> None:
    browser = subscribed(ben, service)
    reminder = Reminder(user=ben, topic="checkin-daily", key="checkin:x:3", path="/")
    assert notify(reminder, "one") == 1
    assert notify(reminder, "two") == 0
    assert len(service.received) == 1
    assert browser.decrypt(service.received[0].body)["body"] == NEUTRAL


def test_it_makes_the_vapid_key_once_readable_by_mend_alone(
    _vapid_key: Path,
) -> None:
    assert not _vapid_key.exists()
    first = push.public_key()
    assert os.stat(_vapid_key).st_mode & 0o777 == 0o600
    push.vapid.cache_clear()
    assert push.public_key() == first


def test_it_pushes_the_rhythms_reminders_but_not_a_kind_turned_off(
    space: Space, ana: User, ben: User, service: PushService
) -> None:
    with time_machine.travel(EVENING, tick=False):
        daily(space, ana, name="Our secret ritual")
        browser = subscribed(ana, service)
        set_push(ben, "checkin-daily", False)
        subscribed(ben, service, name="ben-phone")
        assert run_once() == 1
    [received] = service.received
    assert received.path == "/push/phone"
    assert browser.decrypt(received.body) == {"title": "Mend", "body": NEUTRAL}
    # The e-mail choice is apart: nothing went by e-mail, as none was chosen.
    assert not Delivery.objects.filter(channel="email").exists()


@pytest.mark.django_db(transaction=True)
def test_it_pushes_after_the_commit_on_a_thread_of_its_own(
    space: Space, ana: User, ben: User, service: PushService
) -> None:
    browser = subscribed(ben, service)
    with override_settings(PUSH_IN_BACKGROUND=True):
        actions.send_signal(space, ana, kind="pause", minutes=20)
        deadline = time.monotonic() + 10
        while not Delivery.objects.filter(sent_at__isnull=False).exists():
            assert time.monotonic() < deadline, "no push within 10 s"
            time.sleep(0.05)
    [received] = service.received
    assert browser.decrypt(received.body)["body"] == NEUTRAL


@pytest.mark.django_db(transaction=True)
def test_it_notifies_from_one_long_lived_thread_not_a_thread_per_write(
    space: Space, ana: User
) -> None:
    """A thread (and a new database connection) per pause cost the pause bench's p99
    9 ms -> 243 ms at 50/s (#12): one worker thread per process serves them all."""
    seen: list[tuple[int, str]] = []

    def find() -> None:
        seen.append((threading.get_ident(), threading.current_thread().name))

    with override_settings(PUSH_IN_BACKGROUND=True):
        before = threading.active_count()
        for _ in range(5):
            with transaction.atomic():
                notify_on_commit(find)
        deadline = time.monotonic() + 10
        while len(seen) < 5:
            assert time.monotonic() < deadline, f"only {len(seen)} of 5 ran"
            time.sleep(0.02)
    assert len({ident for ident, _name in seen}) == 1
    assert seen[0][1] == "mend-notify"
    assert threading.active_count() <= before + 1


def test_it_pushes_each_agreement_step_that_waits_for_the_other(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    ana_phone = subscribed(ana, service, name="ana-phone")
    ben_phone = subscribed(ben, service, name="ben-phone")
    with django_capture_on_commit_callbacks(execute=True):
        item = proposed_agreement(space, ana, "We tell each other first")
    with django_capture_on_commit_callbacks(execute=True):
        version = item.versions.get()
        version.affirm(ben, "I agree")
    with django_capture_on_commit_callbacks(execute=True):
        version.confirm(ana)  # waits for no one: nothing pushed
    assert [r.path for r in service.received] == ["/push/ben-phone", "/push/ana-phone"]
    first, second = service.received
    assert ben_phone.decrypt(first.body)["body"] == NEUTRAL
    assert ana_phone.decrypt(second.body)["body"] == NEUTRAL
    assert not any(b"each other" in r.body for r in service.received)


def test_it_pushes_what_waits_on_the_partner_in_the_daily_loop(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """A commitment change, a question, a journal question, what we stand for (#18)."""
    ana_phone = subscribed(ana, service, name="ana-phone")
    ben_phone = subscribed(ben, service, name="ben-phone")
    key = key_of(ana)
    with django_capture_on_commit_callbacks(execute=True):
        # Nothing private pushes anything.
        question = Question.draft(
            space, ana, key, text="Where were you?", topic="other"
        )
        journal.write_entry(space, ana, key, title="t", body="b", share=False)
    assert service.received == []
    with django_capture_on_commit_callbacks(execute=True):
        question.set_shared(key, ana, share=True)
    with django_capture_on_commit_callbacks(execute=True):
        journal.write_entry(
            space, ana, key, title="t", body="b", share=True, is_question=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        item = Commitment.make(
            space, ana, Words(text="A call at lunch", frequency="daily", at=dt.time(12))
        )
        change = item.propose_end(ana)
    with django_capture_on_commit_callbacks(execute=True):
        change.affirm(ben, "I agree")  # in force: it waits for no one
    with django_capture_on_commit_callbacks(execute=True):
        wording = StandFor.of(space).propose(
            ben, values="Kindness", commitments="", vision=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        wording.affirm(ana, "I agree")  # Ben confirms next: it waits for him
    with django_capture_on_commit_callbacks(execute=True):
        wording.confirm(ben)
    assert [r.path for r in service.received] == [
        "/push/ben-phone",  # the question
        "/push/ben-phone",  # the journal question
        "/push/ben-phone",  # ending the commitment
        "/push/ana-phone",  # what we stand for, proposed
        "/push/ben-phone",  # ... affirmed, for Ben to confirm
    ]
    for received in service.received:
        phone = ben_phone if received.path == "/push/ben-phone" else ana_phone
        assert phone.decrypt(received.body)["body"] == NEUTRAL
    assert not any(b"Where were" in r.body for r in service.received)


def test_it_pushes_in_the_recipients_language(
    space: Space,
    ana: User,
    ben: User,
    service: PushService,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    ben.language = "es"
    ben.save(update_fields=["language"])
    ben_browser = subscribed(ben, service)
    ana_browser = subscribed(ana, service, name="ana-phone")

    pause(space, ana, django_capture_on_commit_callbacks)
    pause(space, ben, django_capture_on_commit_callbacks)

    by_path = {r.path: r for r in service.received}
    assert ben_browser.decrypt(by_path["/push/phone"].body) == {
        "title": "Mend",
        "body": "Algo en Mend te espera",
    }
    # Ana chose no language: hers stays English, whoever else speaks Spanish.
    assert ana_browser.decrypt(by_path["/push/ana-phone"].body) == {
        "title": "Mend",
        "body": NEUTRAL,
    }
