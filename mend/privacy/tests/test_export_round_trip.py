"""Everything a person wrote comes back in each export format: JSON, web page, PDF."""

import io
import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from conftest import PASSWORD
from mend.accounts.models import Keyring, User
from mend.agreements import actions as inventory
from mend.agreements.models import Agreement, CrossingReport, InventoryItem
from mend.couples.models import Space
from mend.intimacy import actions as intimacy
from mend.journal.actions import write_entry
from mend.privacy.models import SpaceKey
from mend.privacy.tests.helpers import confirmed
from mend.safety import actions as safety

# One word per thing Ana wrote, each only in that one place.
ANA_WROTE = [
    "AgreeWording",
    "AgreeWhy",
    "AgreeEditWording",
    "ReportWhat",
    "ReportFelt",
    "ReportTouched",
    "ReportOwnStep",
    "RepairFeel",
    "RepairView",
    "RepairTouch",
    "RepairOwn",
    "RepairNext",
    "InventoryOurs",
    "JournalTitle",
    "JournalPrivate",
    "JournalShared",
    "TriggerWhat",
    "TriggerWhen",
    "TriggerHelped",
    "CheckGood",
    "CheckNotGood",
    "CheckChange",
    "StepTitle",
    "StepNotes",
]
BEN_WROTE = ["BenWording", "BenWhat", "BenFelt", "BenRepairFeel", "BenJournal"]


def _key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


@pytest.fixture
def wrote(space: Space, ana: User, ben: User) -> None:
    """Ana writes something of every kind; Ben writes around her."""
    a, b = _key(ana), _key(ben)
    mine = Agreement.propose(
        space, ana, category="money", text="AgreeWording", why="AgreeWhy"
    )
    mine.shown_version().affirm(ben, "I agree")
    mine.shown_version().confirm(ana)
    theirs = Agreement.propose(space, ben, category="money", text="BenWording")
    theirs.shown_version().affirm(ana, "I affirm")
    theirs.shown_version().confirm(ben)
    report = CrossingReport.file(
        theirs,
        ana,
        what_happened="ReportWhat",
        how_it_felt="ReportFelt",
        triggers="ReportTouched",
    )
    later = timezone.now() + timedelta(days=1)
    report.answer(
        ben,
        feelings="BenRepairFeel",
        view="v",
        responsibility="r",
        step="s",
        talk_at=later,
    )
    report.close(ana, outcome="heard", step="ReportOwnStep")
    bens = CrossingReport.file(
        mine, ben, what_happened="BenWhat", how_it_felt="BenFelt"
    )
    bens.answer(
        ana,
        feelings="RepairFeel",
        view="RepairView",
        triggers="RepairTouch",
        responsibility="RepairOwn",
        step="RepairNext",
        talk_at=later,
    )
    Agreement.objects.get(pk=mine.pk).propose_edit(ana, "AgreeEditWording")
    item = InventoryItem.add(space, ana, "InventoryOurs")
    couple_key = SpaceKey.for_partner(space, ana, a)
    inventory.set_answer(space, ana, couple_key, item, "yes")
    write_entry(space, ana, a, title="JournalTitle", body="JournalPrivate", share=False)
    write_entry(space, ana, a, title="t", body="JournalShared", share=True)
    write_entry(space, ben, b, title="t", body="BenJournal", share=True)
    safety.note_trigger(
        space,
        ana,
        a,
        share=False,
        what="TriggerWhat",
        when="TriggerWhen",
        intensity="7",
        helped="TriggerHelped",
    )
    safety.send_signal(space, ana, kind="pause", minutes=20)
    plan = intimacy.plan_for(space)
    step = intimacy.add_step(plan, ana, "StepTitle", "StepNotes")
    intimacy.write_check_in(
        space,
        ana,
        a,
        answers={
            "felt_good": "CheckGood",
            "felt_not_good": "CheckNotGood",
            "change_or_keep": "CheckChange",
        },
        on=None,
        step=step,
        share=False,
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _formats(client: Client) -> dict[str, str]:
    return {
        "json": client.get("/privacy/export.json").content.decode(),
        "web": client.get("/privacy/export/").content.decode(),
        "pdf": _pdf_text(client.get("/privacy/export.pdf").content),
    }


def test_it_holds_everything_ana_wrote_in_each_format(
    wrote: None, ana: User, client_for: Callable[[User], Client]
) -> None:
    for name, text in _formats(confirmed(client_for(ana))).items():
        missing = [word for word in ANA_WROTE if word not in text]
        assert missing == [], name
        leaked = [word for word in BEN_WROTE if word in text]
        assert leaked == [], name


def test_it_labels_and_dates_for_people(
    wrote: None, ana: User, client_for: Callable[[User], Client]
) -> None:
    formats = _formats(confirmed(client_for(ana)))
    for name, text in formats.items():
        for raw in ("what_happened", "how_it_felt", "felt_good", "review_every_days"):
            assert raw not in text, (name, raw)
        # No microseconds, and every moment in Ana's own time zone (Berlin).
        assert not re.search(r"\d\d:\d\d:\d\d\.\d", text), name
        assert "+00:00" not in text, name
    data = json.loads(formats["json"])
    assert data["exported_at"].endswith(("+01:00", "+02:00"))
    assert "What happened" in formats["pdf"]
    assert "Your answer" in formats["web"]
