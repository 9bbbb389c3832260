"""Spanish is shipped complete: every string Mend can show has a Spanish translation.

The .po is checked three ways: no entry is empty or fuzzy; every msgid a fresh
`makemessages` finds in the source is in it (a string added since, untranslated,
fails here by name); and the committed .mo says what the .po says (CI may not have
msgfmt, so the .mo is what runs). `make messages` refreshes both files.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "mend" / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "es" / "LC_MESSAGES" / "django.mo"
# What `make messages` leaves out: not Mend's own pages, or the catalogue itself.
IGNORE = [".venv", "e2e", "bench", "node_modules", "var", "mend/locale", "*/vendor/*"]
FIX = (
    "Run `make messages`, translate the entries it adds to "
    "mend/locale/es/LC_MESSAGES/django.po, and run `make messages` again."
)

Key = tuple[str | None, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _show(keys: list[Key]) -> str:
    return "\n".join(f"  {ctx + ' | ' if ctx else ''}{msgid!r}" for ctx, msgid in keys)


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def _fresh(tmp_path: Path, domain: str, monkeypatch: pytest.MonkeyPatch) -> set[Key]:
    """Return the msgids `makemessages` finds in the source now, written to TMP_PATH."""
    if shutil.which("xgettext") is None:
        pytest.fail("This check needs GNU gettext (apt-get install gettext).")
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command(
            "makemessages",
            locale=["es"],
            domain=domain,
            ignore_patterns=IGNORE,
            verbosity=0,
        )
    fresh = tmp_path / "es" / "LC_MESSAGES" / f"{domain}.po"
    if not fresh.exists():
        return set()
    return {_key(e) for e in polib.pofile(str(fresh)) if not e.obsolete}


def test_every_spanish_entry_is_translated_and_none_is_fuzzy() -> None:
    po = _catalogue()
    untranslated = [_key(e) for e in po.untranslated_entries()]
    fuzzy = [_key(e) for e in po.fuzzy_entries()]
    assert not untranslated, (
        f"{len(untranslated)} Spanish entries have no translation:\n"
        f"{_show(untranslated)}\n{FIX}"
    )
    assert not fuzzy, (
        f"{len(fuzzy)} Spanish entries are marked fuzzy (a guess to check):\n"
        f"{_show(fuzzy)}\nCheck each, then remove its '#, fuzzy' line."
    )


def test_the_spanish_catalogue_has_every_string_in_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = {_key(e) for e in _catalogue() if not e.obsolete}
    missing = sorted(
        _fresh(tmp_path, "django", monkeypatch) - known, key=lambda k: k[1]
    )
    assert not missing, (
        f"{len(missing)} strings in the source are not in the Spanish catalogue:\n"
        f"{_show(missing)}\n{FIX}"
    )


def test_javascript_has_no_strings_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mend's scripts take their words from data attributes the templates translate.
    found = sorted(_fresh(tmp_path, "djangojs", monkeypatch), key=lambda k: k[1])
    assert not found, (
        "These JavaScript strings aren't translated: render them into a data "
        f"attribute with {{% translate %}} instead:\n{_show(found)}"
    )


# Words a script may hold: names the browser defines, not text a person reads, and
# Mend's own name (a notification's title, the same in every language).
JS_NAMES = {"use strict", "Escape", "Notification", "PushManager", "Mend"}
# Text as a person reads it, not a selector, a key or a template expression.
WORDS = re.compile(r"[A-Za-z][A-Za-z\u2019',]*(?: [A-Za-z\u2019',]+)*[.!?…:]?")


def test_no_script_holds_words_of_its_own() -> None:
    """makemessages sees only gettext() calls; this finds any English literal too."""
    root = Path(settings.BASE_DIR) / "mend"
    found = []
    for script in root.rglob("*.js"):
        if "vendor" in script.parts:
            continue
        code = re.sub(
            r"/\*.*?\*/|(?<![:\\])//[^\n]*", "", script.read_text(), flags=re.S
        )
        for literal in re.findall(r'"([^"\n]*)"|\'([^\'\n]*)\'', code):
            text = "".join(literal)
            if text in JS_NAMES or not WORDS.fullmatch(text.strip()):
                continue
            if " " in text.strip() or re.match(r"[A-Z][a-z]{2}", text):
                found.append(f"{script.relative_to(root)}: {text!r}")
    assert not found, (
        "Words in a script are not translated; render them into a data attribute "
        "with {% translate %} and read that instead:\n" + "\n".join(found)
    )


def test_the_compiled_catalogue_matches_the_po() -> None:
    compiled = {
        _key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO))
    }
    stale = [
        _key(e)
        for e in _catalogue().translated_entries()
        if compiled.get(_key(e))
        != (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
    ]
    assert not stale, (
        f"django.mo is older than django.po for {len(stale)} entries:\n"
        f"{_show(stale[:20])}\nRun `make messages` and commit the .mo."
    )


def test_the_translations_keep_every_placeholder() -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
    wrong = []
    for e in _catalogue().translated_entries():
        wanted = sorted(placeholder.findall(e.msgid_plural or e.msgid))
        for text in [e.msgstr] if not e.msgid_plural else e.msgstr_plural.values():
            # A singular may say "one" in words instead of its number (Spanish "una vez").
            got = sorted(placeholder.findall(text))
            if got != wanted and not (e.msgid_plural and set(got) <= set(wanted)):
                wrong.append((e.msgctxt, e.msgid))
    assert not wrong, (
        f"These translations lost or changed a placeholder:\n{_show(wrong)}"
    )
