"""Every endpoint, every persona, every object of Ana and Ben's: nobody else gets in.

The endpoints come from the URL resolver and the OpenAPI schema, and the objects from
a generic population of the couple's space, so a feature merged later is covered the
day it lands, with no edit here.

Outsiders ask each route with every object of its app and one of each other app;
Ana and Ben with every object of that app. A route that refuses a method (405) does
so whatever the object (the partners' pass holds every route to that), so outsiders
stop asking it at the first 405: a quarter of the cases were those.
"""

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import close_stream, signed_in
from mend.accounts.models import User
from mend.couples.models import Space
from tests.security.figures import record
from tests.security.population import (
    SECRET,
    Population,
    call,
    counselor_personas,
    openapi,
    operations,
    populate,
    request_body,
    scope_counselor,
)

PROBE = "zqprobe"
# Signing out (or out everywhere) mid-matrix would turn the persona into a visitor; the quick exit is
# a static neutral page.
SKIP = re.compile(r"logout|sessions/all")
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\{(?P<api>[^}]+)\}")
OUTSIDERS = ("dan", "cleo", "anonymous", "other_counselor", "removed_counselor")
PARTNERS = ("ben", "ana")
# Admitted by Ana and Ben, with some scopes on: may read those, on its own pages only.
SCOPED = "counselor"
DENIED = {400, 401, 403, 404, 405, 409, 410, 422, 429}


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str
    is_api: bool
    is_public: bool = False


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def endpoints(schema: dict[str, Any]) -> list[Endpoint]:
    found: set[Endpoint] = set()
    # The schema knows each API path's methods; the resolver adds only what it lacks.
    in_schema = {PARAM.sub("{}", path) for path in schema["paths"]}
    for route in _routes(get_resolver().url_patterns):
        if SKIP.search(route) or route.startswith("^"):
            continue
        template = "/" + route
        if PARAM.sub("{}", template) in in_schema:
            continue
        is_api = template.startswith("/api/")
        for method in ("get", "post"):
            found.add(Endpoint(method, template, is_api, is_public=True))
    for method, path, op in operations(schema):
        if not SKIP.search(path):
            found.add(Endpoint(method, path, True, is_public=not op.get("security")))
    # The schema's view of an API operation (is it public?) wins over the resolver's.
    by_key: dict[tuple[str, str], Endpoint] = {}
    for e in sorted(found, key=lambda e: e.is_public):
        key = (e.method, PARAM.sub("{}", e.template))
        by_key.setdefault(key, e)
    order = {"get": 0, "post": 1, "put": 1, "patch": 2, "delete": 3}
    return sorted(by_key.values(), key=lambda e: (order[e.method], e.template))


def _params(template: str) -> list[str]:
    return [m.group("name") or m.group("api") for m in PARAM.finditer(template)]


def urls(template: str, codes: list[str]) -> Iterator[tuple[str, bool]]:
    """Yield each concrete path for TEMPLATE and whether it names one of CODES."""
    names = _params(template)
    if not names:
        yield template, False
        return
    coded = [n for n in names if n == "code" or n.endswith("_code")]
    fillers = codes if coded else ["x"]
    for code in fillers:

        def fill(m: re.Match[str], code: str = code) -> str:
            name = m.group("name") or m.group("api")
            return code if (name == "code" or name.endswith("_code")) else "1"

        yield PARAM.sub(fill, template), bool(coded)


def codes_for(template: str, pop: Population, *, others: bool = True) -> list[str]:
    """The codes to try in TEMPLATE: every object of the endpoint's own app, and one
    object of each other app (unless not OTHERS).

    An endpoint under /agreements/ or /api/agreements/ takes the codes of agreements'
    objects; trying every object of every app on every endpoint grew with the square
    of the features (29,085 cases and 2 minutes at 52 objects). An endpoint of no
    app's name (accounts, couples, privacy pages) still gets every code.
    """
    first = template.removeprefix("/").removeprefix("api/").split("/", 1)[0]
    apps = set(pop.apps_of.values())
    if first not in apps:
        return pop.codes
    own = [c for c, app in pop.apps_of.items() if app == first]
    if not others:
        return own
    one_each = {app: c for c, app in reversed(pop.apps_of.items()) if app != first}
    return own + sorted(one_each.values())


def _leaks(body: bytes, pop: Population) -> list[str]:
    text = body.decode(errors="replace")
    found = [c for c in pop.codes if c in text or c.replace("-", "") in text]
    if SECRET in text:
        found.append(SECRET)
    return found


COUNSELOR_PAGES = ("/counselor/", "/api/counselor/")


def _scoped_problems(
    where: str, content: bytes, ok: bool, path: str, pop: Population
) -> list[str]:
    """The admitted counselor on its own pages: only in-scope codes, and only for
    the couple it serves (its admission's code)."""
    if not ok:
        return []
    problems = []
    text = content.decode(errors="replace")
    shown = [c for c in pop.codes if c in text or c.replace("-", "") in text]
    # So the check can't pass by seeing nothing: count what in scope it was shown.
    pop.counselor_was_shown |= set(shown) & pop.counselor_may_see
    if forbidden := [c for c in shown if c not in pop.counselor_may_see]:
        problems.append(f"{where}: counselor sees out of scope {forbidden[:3]}")
    named = [c for c in pop.codes if c in path]
    if named and not set(named) <= pop.counselor_may_see:
        problems.append(f"{where}: answered for an object out of scope")
    return problems


def run_matrix(
    pop: Population, people: dict[str, Client], personas: tuple[str, ...]
) -> tuple[int, list[str]]:
    schema = openapi(people["ana"])
    problems: list[str] = []
    statuses: Counter[int] = Counter()
    login = resolve_url(settings.LOGIN_URL)
    cases = 0
    for persona in personas:
        client = people[persona]
        partner = persona in PARTNERS
        for e in endpoints(schema):
            op = schema["paths"].get(e.template, {}).get(e.method, {})
            body = request_body(op, schema, PROBE, False) if e.is_api else None
            # The partners are asked with their own objects only (theirs to use; the
            # check is that none gives a server error), every one of them.
            codes = codes_for(e.template, pop, others=not partner)
            refused: list[bool] = []  # answered 405, code by code
            for path, names_theirs in urls(e.template, codes):
                if refused and refused[0] and not partner:
                    # The route refuses the method itself, whatever the object (the
                    # partners' pass asks it with every object and holds it to that).
                    break
                cases += 1
                if e.is_api:
                    r = call(client, e.method, path, body)
                else:
                    r = call(client, e.method, path, {} if e.method == "post" else None)
                statuses[r.status_code] += 1
                refused.append(r.status_code == 405)
                # A live stream (SSE) never ends: judge it by its status alone.
                content = b"" if r.streaming else r.content
                if r.streaming:
                    close_stream(r)
                where = f"{persona} {e.method.upper()} {path} -> {r.status_code}"
                if r.status_code >= 500:
                    problems.append(f"{where}: server error")
                ok = 200 <= r.status_code < 300
                if persona == SCOPED and path.startswith(COUNSELOR_PAGES):
                    problems += _scoped_problems(where, content, ok, path, pop)
                    continue
                if persona not in (*OUTSIDERS, SCOPED):
                    continue
                if ok and (leaked := _leaks(content, pop)):
                    problems.append(f"{where}: shows {leaked[:3]}")
                if names_theirs and ok:
                    problems.append(f"{where}: answered for someone else's object")
                if (
                    persona == "anonymous"
                    and e.is_api
                    and not e.is_public
                    and r.status_code != 401
                ):
                    problems.append(f"{where}: expected 401")
                if 300 <= r.status_code < 400:
                    location = r.headers["Location"]
                    if persona == "anonymous" and not location.startswith((login, "/")):
                        problems.append(f"{where}: redirects off-site {location}")
                    if (
                        persona == "anonymous"
                        and names_theirs
                        and not location.startswith(login)
                    ):
                        problems.append(f"{where}: redirects to {location}, not login")
                    if persona != "anonymous" and _leaks(location.encode(), pop):
                        problems.append(f"{where}: redirects into {location}")
                if (
                    names_theirs
                    and not ok
                    and r.status_code < 500
                    and r.status_code not in DENIED
                    and not 300 <= r.status_code < 400
                ):
                    problems.append(f"{where}: unexpected status")
            if any(refused) and not all(refused):
                problems.append(
                    f"{persona} {e.method.upper()} {e.template}: refuses the method "
                    "(405) for some objects only"
                )
    record(
        f"authorization matrix statuses ({', '.join(personas)})",
        dict(sorted(statuses.items())),
    )
    return cases, problems


# Each group is its own test, on a population of its own, so the groups run in
# parallel (pytest-xdist) and the partners' writes never touch what outsiders probe.
GROUPS = (
    ("dan", "cleo"),
    ("anonymous",),
    ("other_counselor", "removed_counselor"),
    (SCOPED,),
    PARTNERS,
)


@pytest.mark.parametrize("personas", GROUPS, ids=["+".join(g) for g in GROUPS])
def test_nobody_outside_the_couple_gets_in_anywhere(
    space: Space,
    ana: User,
    ben: User,
    dan: User,
    cleo: User,
    personas: tuple[str, ...],
) -> None:
    started = time.monotonic()
    counselors = counselor_personas(space, ana, ben, dan)
    pop = populate(space, ana, ben)
    scope_counselor(pop, counselors["counselor"])
    assert len(pop.codes) >= 8, pop.codes
    assert pop.counselor_may_see
    people = {
        **{name: signed_in(user) for name, user in counselors.items()},
        "dan": signed_in(dan),
        "cleo": signed_in(cleo),
        "anonymous": Client(),
        "ben": signed_in(ben),
        "ana": signed_in(ana),
    }
    cases, problems = run_matrix(pop, people, personas)
    group = ", ".join(personas)
    record(f"authorization matrix cases ({group})", cases)
    record("authorization matrix codes", len(pop.codes))
    record("authorization matrix populated by API", sorted(set(pop.made_by_api)))
    record("authorization matrix populated from models", pop.made_by_model)
    record(
        f"authorization matrix seconds ({group})", round(time.monotonic() - started, 1)
    )
    assert not problems, "\n".join(problems[:60])
    assert cases >= 1000
    if SCOPED in personas:
        # The admitted counselor was shown the couple's agreements and commitments.
        assert len(pop.counselor_was_shown) >= 3, pop.counselor_was_shown


def test_it_can_build_a_row_of_every_couple_owned_model(
    space: Space, ana: User, ben: User
) -> None:
    from django.apps import apps

    from mend.couples.models import SpaceOwned
    from tests.security.population import make_row

    pop = Population(space=space, ana=ana, ben=ben)
    built = [
        make_row(model, pop, ana)
        for model in apps.get_models()
        if issubclass(model, SpaceOwned)
    ]
    assert built
    assert all(row.space_id == space.pk for row in built)  # type: ignore[attr-defined]  # SpaceOwned


def test_no_url_escapes_the_matrix(db: None) -> None:
    covered = {PARAM.sub("{}", e.template) for e in endpoints(openapi())}
    routes = {
        PARAM.sub("{}", "/" + route)
        for route in _routes(get_resolver().url_patterns)
        if not SKIP.search(route)
    }
    assert routes <= covered, sorted(routes - covered)
    schema_paths = {PARAM.sub("{}", path) for path in openapi()["paths"]}
    assert schema_paths <= covered


def _pair(template: str, first: str, second: str) -> str:
    """Return TEMPLATE with its two codes filled in, in order."""
    names = iter((first, second))

    def fill(_m: re.Match[str]) -> str:
        return next(names)

    return PARAM.sub(fill, template)


def test_the_witness_routes_open_only_to_the_admitted_counselor(
    space: Space, ana: User, ben: User, dan: User, cleo: User
) -> None:
    """Every witness route (a couple and one of its conversations), every persona,
    every pair of an admission and a conversation of Ana and Ben's.

    The main matrix fills both codes of a path with one code, so it never names a
    real pair; here the pairs are real: the admitted counselor's, the removed one's,
    another couple's counselor's.
    """
    from mend.conversations.models import Conversation
    from mend.counselor.models import Admission

    counselors = counselor_personas(space, ana, ben, dan)
    pop = populate(space, ana, ben)
    scope_counselor(pop, counselors["counselor"])
    people = {
        **{name: signed_in(user) for name, user in counselors.items()},
        "dan": signed_in(dan),
        "cleo": signed_in(cleo),
        "anonymous": Client(),
        "ben": signed_in(ben),
        "ana": signed_in(ana),
    }
    schema = openapi(people["ana"])
    routes = [e for e in endpoints(schema) if "conversation_code" in e.template]
    # The page, the note and the stream; the API's page and note.
    assert len(routes) >= 5, routes
    admissions = [
        a
        for a in Admission.objects.select_related("counselor").order_by("pk")
        if a.counselor_id in {u.pk for u in counselors.values()}
    ]
    conversations = [
        str(c)
        for c in Conversation.objects.filter(space=space).values_list("code", flat=True)
    ]
    assert len(admissions) == 3 and conversations
    problems: list[str] = []
    allowed_answers = 0
    for persona, client in people.items():
        for e in routes:
            op = schema["paths"].get(e.template, {}).get(e.method, {})
            body = request_body(op, schema, PROBE, False) if e.is_api else None
            for admission in admissions:
                for conversation in conversations:
                    path = _pair(e.template, str(admission.code), conversation)
                    r = call(client, e.method, path, body if e.is_api else None)
                    content = b"" if r.streaming else r.content
                    if r.streaming:
                        close_stream(r)
                    ok = 200 <= r.status_code < 300
                    may = (
                        persona == SCOPED
                        and admission.counselor_id == counselors[SCOPED].pk
                    )
                    where = f"{persona} {e.method.upper()} {path} -> {r.status_code}"
                    if r.status_code >= 500:
                        problems.append(f"{where}: server error")
                    elif ok and not may:
                        problems.append(f"{where}: answered someone not witnessing")
                    elif may and r.status_code in (401, 403, 404):
                        problems.append(f"{where}: the admitted counselor is refused")
                    elif not ok and r.status_code not in DENIED | {302}:
                        problems.append(f"{where}: unexpected status")
                    if may and ok:
                        allowed_answers += 1
                        problems += _scoped_problems(where, content, ok, path, pop)
    assert not problems, "\n".join(problems[:60])
    assert allowed_answers >= 3 * len(conversations)
