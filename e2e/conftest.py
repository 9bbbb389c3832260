"""A real Mend under its production server, and Debian's chromium driven by Playwright."""

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# How long a test waits for a sign-up or sign-in (the server waits up to 120 s for
# its turn to derive keys: MEND_KDF_WAIT_SECONDS below).
KDF_WAIT_MS = 60_000
# What a page may take to show a change (an action's answer, or the partner's, live):
# as long as any other step may (new_context), not Playwright's 5 s, which two test
# processes and their servers on a two-core CI machine can use up.
expect.set_options(timeout=10_000)
# A small phone: what a context gets unless a test asks for another size.
SMALL: ViewportSize = {"width": 360, "height": 740}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_postgres_database(url: str, name: str, template: str | None = None) -> str:
    """Return URL pointed at a new database on the same server, named NAME: empty, or
    a copy of the database TEMPLATE.

    A database of that name that this role may not drop (left by another role on a
    shared server) is left alone: the new one is named after this role instead.
    """
    import secrets

    import psycopg
    from psycopg import errors, sql

    base, _, _old = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        role = str(conn.execute("SELECT current_user").fetchone()[0])  # type: ignore[index]
        for candidate in (name, f"{name}_{role}", f"{name}_{secrets.token_hex(4)}"):
            candidate = candidate[:63]
            try:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(candidate)
                    )
                )
            except errors.InsufficientPrivilege:
                continue
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(candidate))
            if template:
                create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(create)
            return f"{base}/{candidate}"
    raise RuntimeError(f"no database could be made for {name} on {base}")


class MendServer:
    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        mend = (
            str(ROOT / ".venv" / "bin" / "mend")
            if (ROOT / ".venv" / "bin" / "mend").exists()
            else "mend"
        )
        self.log = open(Path(env["MEND_VAR_DIR"]) / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [mend, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"mend serve exited: {Path(self.log.name).read_text()}"
                )
            try:
                urllib.request.urlopen(self.url + "/kitchen/", timeout=1)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("mend serve did not start in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [
            *(str(ROOT / ".venv" / "bin" / "python"), "-m", "mend.cli"),
            *("migrate", "--verbosity", "0"),
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )


# Each test process migrates one database (per backend) once and gives every server
# it starts a copy: running the migrations for each of some twenty servers cost 7 s
# a server. The server still runs `migrate` as it starts, and finds nothing to do.
_migrated: dict[str, str] = {}


def _template(env: dict[str, str], base_url: str | None) -> str:
    """Return where this process's migrated database is (a file, or a database name)."""
    key = base_url or "sqlite"
    if key not in _migrated:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        template = dict(env)
        if base_url:
            name = f"{base_url.rpartition('/')[2]}_template_{worker}"
            template["MEND_DATABASE_URL"] = fresh_postgres_database(base_url, name)
            _migrate(template)
            _migrated[key] = template["MEND_DATABASE_URL"].rpartition("/")[2]
        else:
            var = Path(tempfile.mkdtemp(prefix=f"mend-template-{worker}-"))
            template["MEND_VAR_DIR"] = str(var)
            _migrate(template)
            _migrated[key] = str(var / "mend.sqlite3")
    return _migrated[key]


def server_env(var_dir: Path, db_name: str, **extra: str) -> dict[str, str]:
    """Return the environment of a Mend server with its own migrated database."""
    env = dict(os.environ)
    env.update(
        MEND_VAR_DIR=str(var_dir),
        MEND_HTTPS="0",
        MEND_TESTING="1",
        MEND_ALLOWED_HOSTS="127.0.0.1,localhost",
        # The browser tests don't measure the sign-in budget (test_throttle.py and
        # bench/signin_load.py do): on a busy CI machine their sign-ups wait, not 503.
        MEND_KDF_WAIT_SECONDS="120",
        **extra,
    )
    if url := env.get("MEND_DATABASE_URL"):
        # Named after the test database, so each run (and its role) owns its own.
        base = url.rpartition("/")[2]
        if not db_name.startswith(base):
            db_name = f"{base}_{db_name}"
        env["MEND_DATABASE_URL"] = fresh_postgres_database(
            url, db_name, template=_template(env, url)
        )
    else:
        source = sqlite3.connect(_template(env, None))
        copy = sqlite3.connect(var_dir / "mend.sqlite3")
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
    return env


@pytest.fixture(scope="session")
def start_mend(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., MendServer]]:
    """Return a factory for Mend servers with their own database; all stop at the end."""
    servers: list[MendServer] = []

    def start(workers: int = 1, **extra: str) -> MendServer:
        # Named after the test database so parallel runs on one server don't collide.
        base = os.environ.get("MEND_DATABASE_URL", "mend").rpartition("/")[2]
        # pytest-xdist runs tests in several processes at once: one name each.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        name = f"{base}_e2e{worker}_{len(servers)}"
        env = server_env(tmp_path_factory.mktemp(name), name, **extra)
        server = MendServer(env, workers=workers)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def mend(start_mend: Callable[..., MendServer]) -> MendServer:
    return start_mend()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        kwargs.setdefault("viewport", SMALL)
        context = browser.new_context(**kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


IMPACTS = ("moderate", "serious", "critical")


def check_accessibility(page: Page) -> None:
    """Fail on any axe-core violation of moderate or higher impact on PAGE.

    Run once in light and once in dark (the system setting Mend's CSS follows), then
    put the page back in the scheme it had.
    """
    page.evaluate(AXE.read_text())
    was_dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        found += [
            f"{scheme}: {v['id']} ({v['impact']}): "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in IMPACTS
        ]
    page.emulate_media(color_scheme="dark" if was_dark else "light")
    assert not found, f"{page.url}: {found}"


def check_fits_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"  # type: ignore[index]


def sign_up(
    page: Page, username: str, name: str, password: str = "a long enough passphrase 1"
) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("What should your partner see as your name?").fill(name)
    page.locator("#id_password1").fill(password)
    page.get_by_label("Password confirmation").fill(password)
    # Keys are derived one sign-up at a time on the whole server (up to a second
    # each): on a busy machine the page may take longer than a click's usual wait.
    page.get_by_role("button", name="Create account").click(timeout=KDF_WAIT_MS)
    page.get_by_text("Keep this recovery code somewhere safe").wait_for(
        timeout=KDF_WAIT_MS
    )


PHONE: ViewportSize = {"width": 390, "height": 844}


def couple(
    mend: MendServer,
    new_context: Callable[..., BrowserContext],
    suffix: str,
    viewport: ViewportSize = PHONE,
) -> tuple[Page, Page]:
    """Return Ana and Ben (usernames ending in SUFFIX), signed up, in one space."""
    ana = new_context(viewport=viewport).new_page()
    ana.goto(mend.url + "/accounts/signup/")
    sign_up(ana, f"ana-{suffix}", "Ana")
    ana.get_by_role("link", name="I've saved it, continue").click()
    ana.get_by_role("link", name="Create our space").click()
    ana.get_by_label("My trust was broken").check()
    ana.get_by_role("button", name="Create space").click()
    ana.get_by_role("button", name="Create an invite").click()
    link = ana.locator("#invite-link").inner_text().strip()
    ben = new_context(viewport=viewport).new_page()
    ben.goto(link)
    ben.get_by_role("link", name="Create an account").click()
    sign_up(ben, f"ben-{suffix}", "Ben")
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join Ana's space").click()
    expect(ben.get_by_role("list", name="Partners")).to_contain_text("Ana")
    return ana, ben


# Chromium's own push service can't be reached from a test: the subscription is the
# one a browser would hand back, with keys the test holds (mend/notify/tests/receiver.py).
FAKE_SUBSCRIBE = """
([endpoint, p256dh, auth]) => {
  function bytes(text) {
    var raw = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }
  PushManager.prototype.subscribe = function (options) {
    sessionStorage.setItem("askedWithKey", options.applicationServerKey.length);
    return Promise.resolve({
      endpoint: endpoint,
      getKey: function (name) { return bytes(name === "p256dh" ? p256dh : auth); },
    });
  };
}
"""


def subscribe_pages_with(
    context: BrowserContext, origin: str, endpoint: str, p256dh: str, auth: str
) -> None:
    """Make CONTEXT's pages subscribe to push at ENDPOINT with the test's keys."""
    context.grant_permissions(["notifications"], origin=origin)
    context.add_init_script(f"({FAKE_SUBSCRIBE})({[endpoint, p256dh, auth]!r})")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)
