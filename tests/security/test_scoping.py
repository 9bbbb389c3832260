"""Views and API modules reach couple-owned rows only through the scoping helpers.

STYLE's "CI grep check": `<Model>.objects.` on a couple-owned model in a views.py or
api.py must go straight to for_member, visible_to or mine, so another couple's row
cannot be fetched by forgetting a filter. Couple-owned means a SpaceOwned model, the
Space itself, or any model with a foreign key to Space; people's own things (User,
ApiToken, Keyring) are scoped by their own rules and are not checked here.
"""

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

from django.db import models

from mend.couples.models import Space, SpaceOwned

ROOT = Path(__file__).resolve().parent.parent.parent
SCOPED = {"for_member", "visible_to", "mine"}
# (module, model, method) lookups that are safe for a stated reason.
ALLOWED: set[tuple[str, str, str]] = {
    # Starts from for_member itself and yields only a day and a name, never a row.
    ("mend.intimacy.views", "AfterCheckIn", "waiting_for"),
    ("mend.intimacy.api", "AfterCheckIn", "waiting_for"),
    # The same for withdrawn check-ins: for_member, then a day, a name and a time.
    ("mend.intimacy.views", "AfterCheckIn", "withdrawn_for"),
    ("mend.intimacy.api", "AfterCheckIn", "withdrawn_for"),
    # The same shared rule (privacy MutualReveal) for check-in answers.
    ("mend.checkins.views", "Answer", "waiting_for"),
    ("mend.checkins.views", "Answer", "withdrawn_for"),
    ("mend.checkins.api", "Answer", "waiting_for"),
    # The counselor's own scoping helper: only couples that admitted them and
    # haven't removed them (mend/counselor/models.py states the rule).
    ("mend.counselor.views", "Admission", "serving"),
    ("mend.counselor.api", "Admission", "serving"),
}


def is_couple_owned(model: type[models.Model]) -> bool:
    if model is Space or issubclass(model, SpaceOwned):
        return True
    return any(
        isinstance(f, models.ForeignKey) and f.related_model is Space
        for f in model._meta.concrete_fields
    )


def unscoped_lookups(module_name: str, source: str) -> Iterator[str]:
    module = importlib.import_module(module_name)
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in ("objects", "_default_manager")
        ):
            continue
        owner = node.value.value
        name = ast.unparse(owner)
        target: object = module
        for part in name.split("."):
            target = getattr(target, part, None)
        where = f"{module_name}:{node.lineno} {name}.{node.value.attr}.{node.attr}"
        if not (isinstance(target, type) and issubclass(target, models.Model)):
            yield f"{where}: cannot tell which model this is"
        elif (
            is_couple_owned(target)
            and node.attr not in SCOPED
            and (module_name, target.__name__, node.attr) not in ALLOWED
        ):
            yield f"{where}: use for_member, visible_to or mine"


def modules() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "mend").rglob("*.py")):
        if path.name in ("views.py", "api.py") or path.parent.name in ("views", "api"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name, path.read_text()


def test_views_and_api_reach_couple_rows_only_through_scoping_helpers() -> None:
    checked = list(modules())
    assert len(checked) >= 6
    problems = [p for name, source in checked for p in unscoped_lookups(name, source)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_unscoped_lookup() -> None:
    source = (
        "from mend.journal.models import JournalEntry\n"
        "from mend.accounts.models import User\n"
        "JournalEntry.objects.filter(code=1)\n"
        "JournalEntry.objects.for_member(None)\n"
        "User.objects.filter(username='ana')\n"
    )
    found = list(unscoped_lookups("mend.journal.api", source))
    assert len(found) == 1
    assert "JournalEntry.objects.filter" in found[0]
