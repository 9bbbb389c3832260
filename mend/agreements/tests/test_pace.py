"""A person can file only a handful of reports and add only so many items a minute."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import (
    ITEMS_PER_MINUTE,
    REPORTS_PER_MINUTE,
    AgreementEvent,
    CrossingReport,
    InventoryItem,
)
from mend.agreements.tests.helpers import active
from mend.couples.models import Space

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
REPORT = {"what_happened": "A message, unmentioned.", "how_it_felt": "I felt scared."}


def test_reports_past_the_pace_are_refused_in_plain_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        url = f"/api/agreements/{agreement.code}/reports"
        a = client_for(ana)
        for _ in range(REPORTS_PER_MINUTE):
            assert (
                a.post(url, REPORT, content_type="application/json").status_code == 201
            )
        refused = a.post(url, REPORT, content_type="application/json")
        assert refused.status_code == 429
        assert "several times in one minute" in refused.json()["detail"]
        page = a.post(f"/agreements/{agreement.code}/report/", REPORT)
        assert "several times in one minute" in page.content.decode()
        # The partner's own reports are theirs to pace.
        assert (
            client_for(ben)
            .post(url, REPORT, content_type="application/json")
            .status_code
            == 201
        )
    assert CrossingReport.objects.filter(reporter=ana).count() == REPORTS_PER_MINUTE
    reported = AgreementEvent.objects.filter(kind=AgreementEvent.Kind.REPORTED)
    assert reported.count() == REPORTS_PER_MINUTE + 1
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert (
            client_for(ana)
            .post(url, REPORT, content_type="application/json")
            .status_code
            == 201
        )


def test_custom_items_past_the_pace_are_refused_in_plain_words(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    with time_machine.travel(NOW, tick=False):
        for n in range(ITEMS_PER_MINUTE):
            added = a.post(
                "/api/agreements/inventory/items",
                {"text": f"Idea {n}"},
                content_type="application/json",
            )
            assert added.status_code == 201
        refused = a.post(
            "/api/agreements/inventory/items",
            {"text": "One more"},
            content_type="application/json",
        )
        assert refused.status_code == 429
        assert "several times in one minute" in refused.json()["detail"]
        page = a.post(
            "/agreements/inventory/add/", {"text": "One more"}, follow=True
        ).content.decode()
        assert "several times in one minute" in page
    assert InventoryItem.objects.filter(space=space).count() == ITEMS_PER_MINUTE
