import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_it_documents_every_setting() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "mend").rglob("*.py"))
    used = set(re.findall(r'"(MEND_[A-Z_]+)"', code))
    documented = set(
        re.findall(r"`(MEND_[A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text())
    )
    assert used, "no settings found"
    assert used <= documented, f"undocumented: {sorted(used - documented)}"


def test_the_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
