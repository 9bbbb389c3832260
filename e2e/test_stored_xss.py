"""Stored script in every free-text field stays text, in a real browser, on every page.

Two partners whose names, space, journal entries, trigger notes, after-intimacy
check-ins (shared, so both are revealed, and private) and token are XSS and template
injection payloads; then each crawls every page reachable from home (same origin,
GET only) while the browser listens for dialogs, CSP violations, console errors and
requests leaving 127.0.0.1. The crawl follows links, so pages merged later are
covered without an edit here. Part of the security suite (tests/security/); it lives
here to share this suite's one browser.
"""

from collections import deque
from collections.abc import Callable
from urllib.parse import urldefrag

from playwright.sync_api import BrowserContext, Page

from conftest import PASSWORD
from e2e.conftest import MendServer, sign_up
from tests.security.figures import record

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
SVG = "<svg onload=alert(1)>"
# Rendered as templates, these would read zq49zq and zq{{zq.
VARIABLE = "zq{{7*7}}zq"
TAG = "{% debug %}zq{% templatetag openvariable %}zq"
EVERYTHING = " ".join([SCRIPT, IMG, JS_URL, SVG, VARIABLE, TAG])
PAGE_LIMIT = 80

LISTEN = """
window.__mendProblems = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__mendProblems.push("CSP " + e.violatedDirective + " " + e.blockedURI);
});
"""
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("[onerror],[onload],a[href^='javascript:']")) {
    found.push(el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll("script:not([src])")) {
    found.push("inline script: " + el.textContent.slice(0, 80));
  }
  return found;
}"""


def _watch(context: BrowserContext, origin: str, problems: list[str]) -> Page:
    def route(r: object) -> None:
        request = r.request  # type: ignore[attr-defined]  # playwright Route
        if request.url.startswith(origin) or request.url.startswith("data:"):
            r.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"request off 127.0.0.1: {request.url}")
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text} ({m.location.get('url')})")
            if m.type == "error"
            else None
        ),
    )
    return page


def _crawl(page: Page, origin: str, problems: list[str]) -> int:
    seen: set[str] = set()
    queue = deque([origin + "/"])
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        where = url.removeprefix(origin)
        if response is not None and response.status >= 500:
            problems.append(f"{where}: {response.status}")
        html = page.content()
        for rendered in ("zq49zq", "zq{{zq"):
            if rendered in html:
                problems.append(f"{where}: a template ran user text ({rendered})")
        problems += [f"{where}: {p}" for p in page.evaluate(INJECTED)]
        problems += [f"{where}: {p}" for p in page.evaluate("window.__mendProblems")]
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.href)"
        ):
            link = urldefrag(href)[0]
            # Quick exit leaves Mend; signing out is a form, never a link; files
            # (PDF, JSON) download instead of rendering, and a live stream never ends.
            if (
                link.startswith(origin)
                and not link.endswith(("/kitchen/", ".pdf", ".json"))
                and "/stream/" not in link
            ):
                queue.append(link)
    return len(seen)


def _write_entry(page: Page, origin: str, share: bool) -> None:
    page.goto(origin + "/journal/new/")
    page.get_by_label("Title (optional)").fill(" ".join([SCRIPT, IMG, JS_URL])[:200])
    page.get_by_label("What's on your mind?").fill(EVERYTHING)
    if share:
        page.get_by_label("Share this entry with my partner").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(origin + "/journal/")


def _write_trigger(page: Page, origin: str, share: bool) -> None:
    page.goto(origin + "/safety/triggers/new/")
    page.get_by_label("What happened, or what did it touch?").fill(EVERYTHING)
    page.get_by_label("What helped, even a little? (optional)").fill(EVERYTHING)
    if share:
        page.get_by_label("Share this note with my partner").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: not url.endswith("/new/"))  # saved, not refused


def _write_check_in(page: Page, origin: str, share: bool) -> None:
    page.goto(origin + "/intimacy/after/new/")
    page.get_by_label("What felt good").fill(EVERYTHING)
    page.get_by_label("What didn't feel good").fill(EVERYTHING)
    if share:
        page.get_by_label("Share this check-in with my partner").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: not url.endswith("/new/"))  # saved, not refused


def test_stored_payloads_render_inert_everywhere(
    start_mend: Callable[..., MendServer],
    new_context: Callable[..., BrowserContext],
) -> None:
    server = start_mend()
    origin = server.url
    problems: list[str] = []
    ana = _watch(new_context(), origin, problems)
    ana.goto(origin + "/accounts/signup/")
    sign_up(ana, "ana", (IMG + " " + VARIABLE)[:60])
    ana.get_by_role("link", name="I've saved it, continue").click()
    ana.get_by_role("link", name="Create our space").click()
    ana.get_by_label("A name for your space (optional)").fill(
        (SVG + JS_URL + " " + VARIABLE)[:80]
    )
    ana.get_by_role("button", name="Create space").click()
    ana.get_by_role("button", name="Create an invite").click()
    link = ana.locator("#invite-link").inner_text().strip()

    ben = _watch(new_context(), origin, problems)
    ben.goto(link)
    ben.get_by_role("link", name="Create an account").click()
    sign_up(ben, "ben", (SCRIPT + SVG)[:60])
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join").click()
    ben.wait_for_url(origin + "/")

    for page in (ana, ben):
        _write_entry(page, origin, share=True)
        _write_entry(page, origin, share=False)
        for write in (_write_trigger, _write_check_in):
            write(page, origin, share=True)
            write(page, origin, share=False)
        page.goto(origin + "/accounts/profile/")
        page.get_by_label("What is this token for?").fill((SVG + TAG)[:60])
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_role("button", name="Create token").click()
        page.get_by_text("Copy it now").wait_for()  # made, not refused

    pages = {
        name: _crawl(page, origin, problems)
        for name, page in (("ana", ana), ("ben", ben))
    }
    record("stored XSS pages crawled", pages)
    assert min(pages.values()) >= 8, pages
    assert not problems, "\n".join(sorted(set(problems))[:50])
