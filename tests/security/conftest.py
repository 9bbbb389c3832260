"""Fixtures for the security suite. Its browser test is e2e/test_stored_xss.py."""

import os
from collections.abc import Callable, Iterator

import pytest

from conftest import make_person
from e2e.conftest import MendServer, server_env
from mend.accounts.models import User


@pytest.fixture
def cleo(db: None) -> User:
    # Cleo has an account and no space: a counselor nobody has admitted.
    return make_person("cleo", "Cleo")


@pytest.fixture(scope="session")
def start_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., MendServer]]:
    """Return a factory for real Mend servers, each with its own fresh database."""
    servers: list[MendServer] = []

    def start(**extra: str) -> MendServer:
        # Named apart from the e2e suite's databases, which may be live beside these.
        base = os.environ.get("MEND_DATABASE_URL", "mend").rpartition("/")[2]
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one name per process
        name = f"{base}_sec{worker}_{len(servers)}"
        server = MendServer(server_env(tmp_path_factory.mktemp(name), name, **extra))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
