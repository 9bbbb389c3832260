from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from mend.accounts.models import User
from mend.agreements.diff import word_diff
from mend.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementVersion,
    CrossingReport,
    State,
)
from mend.couples.models import Space
from mend.lib.errors import Refused

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _fresh(agreement: Agreement) -> Agreement:
    return Agreement.objects.with_versions().get(pk=agreement.pk)


def _active(
    space: Space, ana: User, ben: User, text: str = "No dating apps."
) -> Agreement:
    agreement = Agreement.propose(space, ana, category="dating", text=text)
    version = agreement.versions.get()
    version.affirm(ben, "I agree")
    version.confirm(ana)
    return _fresh(agreement)


def test_it_walks_proposed_active_revision_active(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = Agreement.propose(
            space, ana, category="dating", text="No dating apps.", why="I need calm."
        )
        assert _fresh(agreement).state == State.PROPOSED
        first = agreement.versions.get()
        first.affirm(ben, "  I Agree. ")
        assert _fresh(agreement).state == State.PROPOSED
        first.confirm(ana)
        agreement = _fresh(agreement)
        assert agreement.state == State.ACTIVE
        assert agreement.review_on == date(2026, 12, 26)

        second = agreement.propose_edit(ben, "No dating apps on any device.")
        agreement = _fresh(agreement)
        assert agreement.state == State.REVISION
        # The old wording stays in force until both agree on the new one.
        assert agreement.active_version() == first
        assert agreement.text == "No dating apps."
        second.affirm(ana, "I affirm")
        second.confirm(ben)
        agreement = _fresh(agreement)
        assert agreement.state == State.ACTIVE
        assert agreement.text == "No dating apps on any device."
        assert [v.number for v in agreement.all_versions()] == [1, 2]
        first.refresh_from_db()
        assert first.superseded_at is not None and first.confirmed_at is not None
        assert list(
            AgreementEvent.objects.filter(agreement=agreement)
            .order_by("pk")
            .values_list("kind", flat=True)
        ) == [
            "proposed",
            "affirmed",
            "confirmed",
            "edit_proposed",
            "affirmed",
            "confirmed",
        ]


def test_it_refuses_affirming_your_own_proposal(
    space: Space, ana: User, ben: User
) -> None:
    agreement = Agreement.propose(
        space, ana, category="money", text="Share statements."
    )
    version = agreement.versions.get()
    with pytest.raises(Refused, match="your partner who affirms"):
        version.affirm(ana, "I agree")
    version.refresh_from_db()
    assert version.affirmed_at is None


def test_it_needs_explicit_words(space: Space, ana: User, ben: User) -> None:
    agreement = Agreement.propose(
        space, ana, category="money", text="Share statements."
    )
    version = agreement.versions.get()
    for words in ("", "ok", "yes", "on", "true", "I agree but"):
        with pytest.raises(Refused, match='type "I agree"'):
            version.affirm(ben, words)
    version.refresh_from_db()
    assert version.affirmed_at is None


def test_it_needs_affirmation_before_confirmation(
    space: Space, ana: User, ben: User
) -> None:
    agreement = Agreement.propose(
        space, ana, category="money", text="Share statements."
    )
    version = agreement.versions.get()
    with pytest.raises(Refused, match="hasn't affirmed"):
        version.confirm(ana)
    version.affirm(ben, "I agree")
    with pytest.raises(Refused, match="proposed this wording confirms"):
        version.confirm(ben)
    assert _fresh(agreement).state == State.PROPOSED


def test_it_refuses_a_stale_version(space: Space, ana: User, ben: User) -> None:
    agreement = _active(space, ana, ben)
    seen_by_ben = agreement.propose_edit(ana, "No dating apps, ever.")
    # Ana changes her mind about the words while Ben is reading the first proposal.
    newer = _fresh(agreement).propose_edit(ana, "No dating apps while we rebuild.")
    stale = AgreementVersion.objects.get(pk=seen_by_ben.pk)
    with pytest.raises(Refused, match="no longer the one on the table") as refused:
        stale.affirm(ben, "I agree")
    assert refused.value.status == 409
    stale.refresh_from_db()
    assert stale.affirmed_at is None and stale.superseded_at is not None
    newer.affirm(ben, "I agree")
    newer.confirm(ana)
    assert _fresh(agreement).text == "No dating apps while we rebuild."


def test_a_confirmed_version_cannot_be_affirmed_again(
    space: Space, ana: User, ben: User
) -> None:
    agreement = _active(space, ana, ben)
    version = agreement.active_version()
    assert version is not None
    with pytest.raises(Refused, match="no longer the one on the table"):
        version.affirm(ben, "I agree")


def test_reopen_keeps_it_in_force(space: Space, ana: User, ben: User) -> None:
    agreement = _active(space, ana, ben)
    agreement.reopen(ben)
    agreement = _fresh(agreement)
    assert agreement.state == State.REOPENED
    assert agreement.is_in_force() and agreement.is_due()
    assert agreement.text == "No dating apps."
    version = agreement.propose_edit(ben, "No dating apps.")
    version.affirm(ana, "I agree")
    version.confirm(ben)
    agreement = _fresh(agreement)
    assert agreement.state == State.ACTIVE and agreement.reopened_at is None


def test_a_proposal_cannot_be_reopened(space: Space, ana: User, ben: User) -> None:
    agreement = Agreement.propose(space, ana, category="other", text="Be kind.")
    with pytest.raises(Refused, match="nothing to revisit"):
        agreement.reopen(ben)


def test_retiring_needs_both(space: Space, ana: User, ben: User) -> None:
    agreement = _active(space, ana, ben)
    agreement.propose_retirement(ana)
    with pytest.raises(Refused, match="your partner's agreement"):
        agreement.agree_retirement(ana)
    agreement = _fresh(agreement)
    assert agreement.state == State.RETIREMENT and agreement.is_in_force()
    agreement.agree_retirement(ben)
    agreement = _fresh(agreement)
    assert agreement.state == State.RETIRED
    # The record stays, and nothing changes it any more.
    assert agreement.all_versions()[0].text == "No dating apps."
    with pytest.raises(Refused, match="retired"):
        agreement.propose_edit(ana, "Something else.")
    with pytest.raises(Refused, match="retired"):
        agreement.reopen(ana)


def test_either_can_keep_an_item_proposed_for_retirement(
    space: Space, ana: User, ben: User
) -> None:
    agreement = _active(space, ana, ben)
    agreement.propose_retirement(ana)
    agreement.withdraw_retirement(ben)
    assert _fresh(agreement).state == State.ACTIVE


def test_it_refuses_bad_text(space: Space, ana: User, ben: User) -> None:
    with pytest.raises(Refused, match="few words"):
        Agreement.propose(space, ana, category="other", text="   ")
    with pytest.raises(Refused, match="at most 2000"):
        Agreement.propose(space, ana, category="other", text="x" * 20_000)
    with pytest.raises(Refused, match="categories"):
        Agreement.propose(space, ana, category="nope", text="Be kind.")
    assert not Agreement.objects.exists()
    agreement = _active(space, ana, ben)
    with pytest.raises(Refused):
        agreement.propose_edit(ben, "x" * 20_000)
    assert _fresh(agreement).all_versions()[-1].number == 1


def test_it_refuses_a_review_date_in_the_past(
    space: Space, ana: User, ben: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = _active(space, ana, ben)
        with pytest.raises(Refused, match="from today onwards"):
            agreement.set_review(ana, date(2026, 11, 25), 30)
        with pytest.raises(Refused, match="between 1 and 365"):
            agreement.set_review(ana, date(2026, 12, 1), 0)
        assert _fresh(agreement).review_on == date(2026, 12, 26)
        agreement.set_review(ana, date(2026, 11, 26), 14)
        agreement = _fresh(agreement)
        assert agreement.review_on == date(2026, 11, 26) and agreement.is_due()
        assert list(Agreement.objects.for_member(ben).due(date(2026, 11, 26))) == [
            agreement
        ]


def test_a_report_and_its_repair(space: Space, ana: User, ben: User) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = _active(space, ana, ben)
        report = CrossingReport.file(
            agreement,
            ana,
            what_happened="A message late at night.",
            how_it_felt="I felt scared.",
            happened_on=date(2026, 11, 25),
        )
        with pytest.raises(Refused, match="Your partner answers"):
            report.answer(
                ana,
                feelings="x",
                view="x",
                responsibility="x",
                step="x",
                talk_at=NOW + timedelta(hours=2),
            )
        with pytest.raises(Refused, match="still ahead"):
            report.answer(
                ben,
                feelings="I felt ashamed.",
                view="I answered an old friend.",
                responsibility="I chose to answer instead of telling you.",
                step="I'll tell you the same evening.",
                talk_at=NOW - timedelta(hours=2),
            )
        with pytest.raises(Refused, match="no repair"):
            report.close(ana, outcome="heard", step="I'll ask calmly.")
        report.answer(
            ben,
            feelings="I felt ashamed.",
            view="I answered an old friend.",
            responsibility="I chose to answer instead of telling you.",
            step="I'll tell you the same evening.",
            talk_at=NOW + timedelta(hours=2),
        )
        report.close(ana, outcome="heard", step="I'll ask calmly.")
        report.refresh_from_db()
        assert report.status == "heard"
        assert not hasattr(report.repair, "excuse")


def test_a_proposal_cannot_be_reported(space: Space, ana: User, ben: User) -> None:
    agreement = Agreement.propose(space, ana, category="other", text="Be kind.")
    with pytest.raises(Refused, match="in force"):
        CrossingReport.file(agreement, ben, what_happened="x", how_it_felt="y")


def test_the_diff_shows_words_added_and_removed() -> None:
    pieces = word_diff("No dating apps.", "No dating apps on any device.")
    assert ("del", "apps.") in pieces
    assert ("ins", "apps on any device.") in pieces


def test_a_second_affirmation_or_confirmation_is_refused(
    space: Space, ana: User, ben: User
) -> None:
    agreement = Agreement.propose(
        space, ana, category="social", text="We leave together."
    )
    # Two tabs open on the same proposal: the second submit changes nothing.
    first_tab = agreement.versions.get()
    second_tab = AgreementVersion.objects.get(pk=first_tab.pk)
    first_tab.affirm(ben, "I agree")
    with pytest.raises(Refused, match="already affirmed"):
        second_tab.affirm(ben, "I affirm")
    first_tab.confirm(ana)
    with pytest.raises(Refused, match="no longer the one on the table"):
        second_tab.confirm(ana)
    version = AgreementVersion.objects.get(pk=first_tab.pk)
    assert version.affirmation_words == "I agree"
    assert AgreementEvent.objects.filter(kind="confirmed").count() == 1


def test_it_reads_a_list_item_s_state_from_its_live_wordings_once(
    space: Space,
    ana: User,
    ben: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    agreement = _active(space, ana, ben)
    for n in range(5):
        edit = agreement.propose_edit(ben, text=f"Reworded {n}.")
        edit.affirm(ana, "I agree")
        edit.confirm(ben)
    agreement.propose_edit(ana, text="Waiting for Ben.")
    item = Agreement.objects.with_live_versions().get(pk=agreement.pk)
    # Only the wording in force and the one waiting are loaded, not the history.
    assert len(item.live_versions) == 2  # type: ignore[attr-defined]  # prefetched
    with django_assert_num_queries(0):
        for _ in range(3):
            assert item.state == State.REVISION
            assert item.text == "Reworded 4."
            assert item.pending_version() is not None
            assert item.is_in_force()
    item.reopen(ben)  # a change reloads the wordings instead of reusing stale ones
    assert item.active_version() is not None
    assert item.state == State.REVISION
    assert [v.number for v in item.all_versions()] == [1, 2, 3, 4, 5, 6, 7]
