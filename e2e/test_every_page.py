"""axe on every page of Mend, light and dark, at phone size, with something in it (#18).

A couple with content in every feature (made through Mend's own API, as the couple:
the same methods the pages call), their admitted counselor, a person with no space yet
and someone signed out visit every page there is. The list comes from mend.urls: each
route is a page visited below, or is named in SKIPPED with why, or answers a signed-in
GET with 405 (an action a form posts to). A route added later fails this test until it
is in one of those.
"""

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    PHONE,
    MendServer,
    check_accessibility,
    check_fits_phone,
    couple,
    sign_up,
)

PASSWORD = "a long enough passphrase 1"

# Routes that answer GET with something other than a page, or a page that isn't Mend's.
SKIPPED = {
    "agreements:agreement_pdf": "a PDF download",
    "calendar:feed": "an iCalendar file for calendar apps",
    "counselor:brief_pdf": "a PDF download",
    "counselor:witness_stream": "an event stream",
    "intimacy:plan": "a fragment htmx swaps into /intimacy/ (checked there)",
    "live:stream": "an event stream",
    "live:stream_before_15": "an event stream",
    "privacy:export_json": "a JSON download",
    "privacy:export_pdf": "a PDF download",
    "safety:banner": "a fragment live.js swaps into every signed-in page",
    "webapp:favicon": "an icon (read in e2e/test_walk.py)",
    "webapp:manifest": "JSON for installing (read in e2e/test_walk.py)",
    "webapp:service_worker": "JavaScript (read in e2e/test_walk.py)",
}
SKIPPED_NAMESPACES = {
    "api": "JSON for programs (no docs page: django-ninja's loads from a CDN)",
}

# Route, who visits it, and its arguments (names of the codes made below).
PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("home:index", "out", {}),
    ("accounts:signup", "out", {}),
    ("accounts:login", "out", {}),
    ("accounts:recover", "out", {}),
    ("safety:neutral", "out", {}),
    ("safety:grounding", "out", {}),
    ("safety:help", "out", {}),
    ("couples:join", "out", {"code": "invite"}),
    ("notify:stop", "out", {"token": "stop"}),
    ("home:index", "dan", {}),
    ("couples:new_space", "dan", {}),
    ("couples:join_by_code", "dan", {}),
    ("accounts:two_factor", "dan", {}),
    ("home:index", "ana", {}),
    ("home:index", "ben", {}),
    ("home:start", "ben", {}),
    ("home:start_agreements", "ben", {}),
    ("home:start_reminders", "ben", {}),
    ("accounts:profile", "ana", {}),
    ("accounts:change_password", "ana", {}),
    ("accounts:sessions", "ana", {}),
    ("couples:roles", "ana", {}),
    ("agreements:index", "ana", {}),
    ("agreements:retired", "ana", {}),
    ("agreements:add_agreement", "ana", {}),
    ("agreements:inventory", "ana", {}),
    ("agreements:circles", "ana", {}),
    ("agreements:print_agreement", "ana", {}),
    ("agreements:add_incident", "ben", {}),
    ("agreements:agreement", "ben", {"code": "agreement"}),
    ("agreements:edit_agreement", "ana", {"code": "agreement"}),
    ("agreements:history", "ana", {"code": "agreement"}),
    ("agreements:add_report", "ben", {"code": "agreement"}),
    ("agreements:report", "ana", {"code": "report"}),
    ("commitments:index", "ben", {}),
    ("commitments:add_commitment", "ben", {}),
    ("commitments:commitment", "ana", {"code": "commitment"}),
    ("commitments:progress", "ana", {}),
    ("commitments:disclosures", "ana", {}),
    ("commitments:questions", "ben", {}),
    ("commitments:slips", "ben", {}),
    ("commitments:milestones", "ben", {}),
    ("checkins:index", "ana", {}),
    ("checkins:add_check_in", "ana", {}),
    ("checkins:edit_check_in", "ana", {"code": "checkin"}),
    ("checkins:answer", "ben", {"code": "answer"}),
    ("conversations:index", "ana", {}),
    ("conversations:propose", "ana", {}),
    ("conversations:conversation", "ben", {"code": "conversation"}),
    ("journal:index", "ana", {}),
    ("journal:add_entry", "ana", {}),
    ("journal:search", "ana", {}),
    ("journal:entry", "ben", {"code": "entry"}),
    ("intimacy:index", "ana", {}),
    ("intimacy:edit_step", "ana", {"code": "step"}),
    ("intimacy:check_ins", "ana", {}),
    ("intimacy:add_check_in", "ana", {}),
    ("intimacy:check_in", "ana", {"code": "after"}),
    ("safety:index", "ana", {}),
    ("safety:send_signal", "ana", {}),
    ("safety:triggers", "ana", {}),
    ("safety:add_trigger", "ana", {}),
    ("safety:trigger", "ben", {"code": "trigger"}),
    ("story:index", "ana", {}),
    ("story:appreciations", "ben", {}),
    ("story:recap", "ana", {}),
    ("story:propose_values", "ana", {}),
    ("story:history", "ana", {}),
    ("story:add_ritual", "ana", {}),
    ("calendar:index", "ana", {}),
    ("notify:push", "ben", {}),
    ("counselor:index", "ana", {}),
    ("counselor:index", "cleo", {}),
    ("counselor:couple", "cleo", {"code": "couple"}),
    ("counselor:brief", "cleo", {"code": "couple"}),
    (
        "counselor:witness",
        "cleo",
        {"code": "couple", "conversation_code": "conversation"},
    ),
    ("privacy:index", "ana", {}),
    ("privacy:access_log", "ana", {}),
    ("accounts:confirm_password", "ana", {}),
    # After Ana has confirmed her password (see below).
    ("privacy:export", "ana", {}),
    ("privacy:leave", "ana", {}),
    ("privacy:erase", "ana", {}),
    # After Dan has turned two-step sign-in on and signed in again.
    ("accounts:login_code", "dan", {}),
]
# Pages a missing or invalid code answers with words, as they should.
STATUS = {"notify:stop": 404}


def routes() -> dict[str, tuple[str, dict[str, Any]]]:
    """Return each named route of mend.urls: its pattern and its converters."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, inner, prefix + str(p.pattern))
            else:
                assert isinstance(p, URLPattern)
                assert p.name, f"an unnamed route: {prefix}{p.pattern}"
                assert namespace + p.name not in found, f"two {namespace}{p.name}"
                found[namespace + p.name] = (
                    prefix + str(p.pattern),
                    p.pattern.converters,
                )

    walk(get_resolver("mend.urls").url_patterns, "", "/")
    return found


class Api:
    """Mend's API as the person signed in on PAGE (a session, so consent counts)."""

    def __init__(self, page: Page, origin: str) -> None:
        self.page, self.origin = page, origin

    def call(self, method: str, path: str, data: Any = None) -> Any:
        csrf = next(
            c["value"] for c in self.page.context.cookies() if c["name"] == "csrftoken"
        )
        response = self.page.request.fetch(
            self.origin + "/api" + path,
            method=method,
            data=data,
            headers={"X-CSRFToken": csrf},
        )
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json() if response.status != 204 else None

    def post(self, path: str, data: Any = None) -> Any:
        return self.call("POST", path, {} if data is None else data)

    def get(self, path: str) -> Any:
        return self.call("GET", path)


def fill_every_feature(ana: Page, ben: Page, cleo: Page, origin: str) -> dict[str, str]:
    """Give Ana and Ben something in every feature; return the codes pages need."""
    a, b, c = Api(ana, origin), Api(ben, origin), Api(cleo, origin)
    codes: dict[str, str] = {}
    now = dt.datetime.now(dt.UTC)
    today = now.date()

    # An agreement in force, a second waiting for Ben, a report with its repair.
    agreement = a.post(
        "/agreements",
        {
            "category": "messages",
            "text": "We tell each other the same day if an ex gets in touch.",
            "why": "Secrets were the hardest part.",
            "circle": "inner",
        },
    )
    codes["agreement"] = agreement["code"]
    version = agreement["pending_version"]
    b.post(
        f"/agreements/{codes['agreement']}/versions/{version}/affirm",
        {"words": "I agree"},
    )
    a.post(f"/agreements/{codes['agreement']}/versions/{version}/confirm")
    a.post(
        "/agreements",
        {"category": "technology", "text": "Phones stay out of the bedroom."},
    )
    report = b.post(
        f"/agreements/{codes['agreement']}/reports",
        {
            "what_happened": "A message came on Tuesday and I heard of it on Friday.",
            "how_it_felt": "I felt shut out again.",
        },
    )
    codes["report"] = report["code"]
    a.post(
        f"/agreements/reports/{codes['report']}/repair",
        {
            "feelings": "I felt ashamed and scared.",
            "view": "I waited because I dreaded the talk.",
            "responsibility": "I let the fear decide; I am sorry.",
            "step": "I tell you the same evening, whatever the hour.",
            "talk_at": (now + dt.timedelta(days=1)).isoformat(),
        },
    )

    # Ben's commitment with a day kept, a disclosure, a slip, a milestone, a goal;
    # Ana's question to him.
    commitment = b.post(
        "/commitments/",
        {
            "text": "Answer messages within two hours",
            "frequency": "daily",
            "at": "00:00",
            "starts_on": (today - dt.timedelta(days=2)).isoformat(),
        },
    )
    codes["commitment"] = commitment["code"]
    b.post(
        f"/commitments/{codes['commitment']}/marks",
        {"on": (today - dt.timedelta(days=1)).isoformat(), "kept": True},
    )
    b.post(
        "/commitments/disclosures",
        {
            "what": "She wrote to ask how I was; I didn't answer.",
            "kind": "contact",
            "happened_at": (now - dt.timedelta(hours=3)).isoformat(),
        },
    )
    b.post(
        "/commitments/slips",
        {
            "kind": "missed",
            "led_to": "A long day and no dinner.",
            "learned": "I need to eat before hard evenings.",
            "step": "A snack at five.",
        },
    )
    b.post(
        "/commitments/milestones",
        {
            "name": "No contact",
            "started_on": (today - dt.timedelta(days=40)).isoformat(),
        },
    )
    b.post(
        "/commitments/goals",
        {
            "text": "Book a counselor",
            "due_on": (today + dt.timedelta(days=7)).isoformat(),
        },
    )
    question = a.post(
        "/commitments/questions",
        {"text": "When did you last hear from her?", "topic": "timeline"},
    )
    a.post(f"/commitments/questions/{question['code']}/send")

    # A daily check-in from yesterday, answered by both, shared.
    checkin = a.post(
        "/checkins/",
        {
            "kind": "own",
            "name": "Evening words",
            "schedule": {
                "frequency": "daily",
                "starts_on": (today - dt.timedelta(days=1)).isoformat(),
                "at": "00:00",
            },
            "prompts": [
                {"text": "How close did you feel?", "is_slider": True},
                {"text": "One thing you noticed", "is_slider": False},
            ],
        },
    )
    codes["checkin"] = checkin["code"]
    [due] = [d for d in a.get("/checkins/due") if d["check_in"] == codes["checkin"]][:1]
    for api, words in ((a, "Your patience at dinner."), (b, "The walk we took.")):
        answer = api.post(
            f"/checkins/{codes['checkin']}/answers",
            {
                "occurs_at": due["occurs_at"],
                "answers": {
                    "How close did you feel?": 6,
                    "One thing you noticed": words,
                },
                "share": True,
            },
        )
    codes["answer"] = answer["code"]  # Ben's, read by Ben

    # A conversation proposed for tomorrow.
    conversation = a.post(
        "/conversations",
        {
            "topics": ["How we tell each other about messages", "Sunday plans"],
            "minutes": 30,
            "starts_at": (now + dt.timedelta(days=1)).isoformat(),
        },
    )
    codes["conversation"] = conversation["code"]

    # Journal: a shared entry with Ben's reply, and a private one.
    entry = a.post(
        "/journal/entries",
        {
            "title": "After the talk",
            "body": "I felt lighter after we talked tonight.",
            "share": True,
        },
    )
    codes["entry"] = entry["code"]
    b.post(f"/journal/entries/{codes['entry']}/replies", {"text": "So did I."})
    a.post("/journal/entries", {"body": "Only for me: I am still afraid."})

    # The ladder: a step of their own, and a shared after-intimacy check-in.
    plan = a.post("/intimacy/steps", {"title": "Holding hands on the sofa"})
    codes["step"] = next(
        s["code"] for s in plan["steps"] if s["title"] == "Holding hands on the sofa"
    )
    after = a.post(
        "/intimacy/after",
        {
            "felt_good": "Going slowly.",
            "change_or_keep": "Keep it short.",
            "share": True,
        },
    )
    codes["after"] = after["code"]

    # A trigger note, shared; appreciation, values, a ritual.
    trigger = a.post(
        "/safety/triggers",
        {
            "what": "His phone buzzing at dinner.",
            "intensity": 6,
            "helped": "Breathing out slowly.",
            "share": True,
        },
    )
    codes["trigger"] = trigger["code"]
    a.post("/story/appreciations", {"text": "You cooked when I was tired."})
    b.post("/story/appreciations", {"text": "You stayed for the hard part."})
    a.post(
        "/story/values",
        {
            "values": "Honesty, even when it is slow.",
            "vision": "A calm home, a year from now.",
        },
    )
    a.post(
        "/story/rituals",
        {
            "title": "Sunday walk",
            "frequency": "weekly",
            "starts_on": today.isoformat(),
            "at": "10:00",
        },
    )

    # Cleo, a counselor both partners admitted, sees every scope.
    c.post("/counselor/profile", {"practice": "Calm Rooms"})
    invite = a.post("/counselor/invites")
    c.post("/counselor/join", {"code": invite["code"]})
    [admission] = a.get("/counselor/admissions")
    for api in (a, b):
        api.post(
            f"/counselor/admissions/{admission['code']}/approve", {"words": "I agree"}
        )
    for api in (a, b):
        for scope in admission["scopes"]:
            api.post(
                f"/counselor/admissions/{admission['code']}/scopes",
                {"scope": scope["scope"], "on": True},
            )
    [counseled] = c.get("/counselor/couples")
    codes["couple"] = counseled["code"]
    return codes


def totp(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "").upper())
    return str(TOTP(key).token()).zfill(6)


def visit(page: Page, origin: str, name: str, kwargs: dict[str, str]) -> None:
    """Open the page; check axe in light and dark, and that it fits a phone."""
    url = reverse(name, kwargs=kwargs)
    response = page.goto(origin + url)
    assert response is not None
    assert response.status == STATUS.get(name, 200), f"{url}: {response.status}"
    assert page.url == origin + url, f"{url} went to {page.url}"
    check_accessibility(page)
    check_fits_phone(page)


def test_every_page_passes_axe_in_light_and_dark_at_phone_size(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    every = routes()
    unknown = ({name for name, _who, _kw in PAGES} | set(SKIPPED)) - set(every)
    assert not unknown, f"no such route (any more?): {unknown}"

    ana, ben = couple(mend, new_context, "pages")
    people: dict[str, Page] = {"ana": ana, "ben": ben}
    for name in ("cleo", "dan"):
        page = new_context(viewport=PHONE).new_page()
        page.goto(mend.url + "/accounts/signup/")
        sign_up(page, f"{name}-pages", name.title())
        page.get_by_role("link", name="I've saved it, continue").click()
        people[name] = page
    people["out"] = new_context(viewport=PHONE).new_page()
    codes = fill_every_feature(ana, ben, people["cleo"], mend.url)
    codes["stop"] = "no-longer-valid"
    # Someone else's invite, for the signed-out join page.
    erin = new_context(viewport=PHONE).new_page()
    erin.goto(mend.url + "/accounts/signup/")
    sign_up(erin, "erin-pages", "Erin")
    Api(erin, mend.url).post("/space", {"name": "", "roles": "unsaid"})
    link = Api(erin, mend.url).post("/space/invites")["link"]
    codes["invite"] = link.rstrip("/").rsplit("/", 1)[1]

    for name, who, kwargs in PAGES:
        page = people[who]
        if name == "privacy:export":
            page.goto(mend.url + reverse("accounts:confirm_password") + "?next=/")
            page.locator("input[type=password]").fill(PASSWORD)
            page.locator("main form.card button[type=submit]").click()
            page.wait_for_url(mend.url + "/")
        if name == "accounts:login_code":
            page.goto(mend.url + reverse("accounts:two_factor"))
            page.get_by_role("button", name="Set up two-step sign-in").click()
            secret = page.locator("#totp-secret").inner_text()
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("input[name=code]").fill(totp(secret))
            page.get_by_role("button", name="Turn on two-step sign-in").click()
            expect(page.get_by_text("Two-step sign-in is on.").first).to_be_visible()
            page.get_by_role("button", name="Sign out").click()
            page.goto(mend.url + reverse("accounts:login"))
            page.get_by_label("Username").fill("dan-pages")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"**{reverse(name)}*")
        visit(page, mend.url, name, {k: codes[v] for k, v in kwargs.items()})

    # Every other route is skipped with a reason, or an action: GET answers 405.
    visited = {name for name, _who, _kw in PAGES}
    dummy: dict[str, Any] = {
        "UUID": uuid.uuid4(),
        "String": "x",
        "Slug": "x",
        "Int": 1,
        "Path": "x",
    }
    not_pages = []
    for name, (pattern, converters) in sorted(every.items()):
        if name in visited or name in SKIPPED:
            continue
        kwargs = {
            k: dummy[type(conv).__name__.removesuffix("Converter")]
            for k, conv in converters.items()
        }
        url = reverse(name, kwargs=kwargs)
        status = ana.request.get(mend.url + url, max_redirects=0).status
        if status != 405:
            not_pages.append(f"{name} {pattern}: GET {status}")
    assert not not_pages, (
        "routes neither visited here, nor skipped with a reason, nor POST-only: "
        f"{not_pages}"
    )
