"""Fixtures for the security suite; the browser ones are the e2e suite's own."""

import pytest
from _pytest.terminal import TerminalReporter

from conftest import make_person
from e2e.conftest import browser, mend, new_context, start_mend  # noqa: F401  # fixtures
from mend.accounts.models import User
from tests.security.figures import FIGURES


@pytest.fixture
def cleo(db: None) -> User:
    # Cleo has an account and no space: a counselor nobody has admitted.
    return make_person("cleo", "Cleo")


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("security figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
