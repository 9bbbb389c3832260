"""Fill Ana and Ben's space with one of everything, generically, and list what is theirs.

New features are covered without edits: every POST operation in the OpenAPI schema is
called as each partner with a body built from its schema, then every concrete
SpaceOwned model still empty in their space gets a row built from its fields. Every
text they write carries SECRET, so a leak of any of it is easy to spot.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, signed_in, today
from mend.accounts.models import ApiToken, Keyring, User
from mend.couples.models import Invite, Space, SpaceOwned
from mend.journal import actions as journal
from mend.privacy.models import PrivateContent, open_entry

SECRET = "zqsecret"
API_PREFIX = "/api"


def openapi(client: Client | None = None) -> dict[str, Any]:
    response = (client or Client()).get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (method, path, operation) for every operation in SCHEMA."""
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, op


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def example(
    node: dict[str, Any], schema: dict[str, Any], text: str, flag: bool, name: str = ""
) -> Any:
    """Return a small valid value for the JSON schema NODE, writing TEXT in strings."""
    node = _resolve(node, schema)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in node:
            options = [
                o for o in node[combinator] if _resolve(o, schema).get("type") != "null"
            ]
            return example(options[0], schema, text, flag, name) if options else None
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type", "object")
    if kind == "object":
        return {
            key: example(value, schema, text, flag, key)
            for key, value in node.get("properties", {}).items()
        }
    if kind == "array":
        return [
            example(node.get("items", {}), schema, text, flag, name)
            for _ in range(node.get("minItems", 0))
        ]
    if kind == "boolean":
        return flag
    if kind in ("integer", "number"):
        return node.get("minimum", node.get("exclusiveMinimum", 0) + 1)
    fmt = node.get("format", "")
    if fmt == "date-time":
        return timezone.now().isoformat()
    if fmt == "date":
        return today().isoformat()
    if fmt == "uuid":
        return str(uuid.uuid4())
    if "email" in name or fmt == "email":
        return f"{text}@example.com"
    if "time_zone" in name:
        return "UTC"
    value = f"{text} {name}".strip()
    value = value.ljust(node.get("minLength", 0), "x")
    return value[: node.get("maxLength", len(value))]


def request_body(
    op: dict[str, Any], schema: dict[str, Any], text: str, flag: bool
) -> Any:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return example(content["application/json"]["schema"], schema, text, flag)


def call(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    if body is None:
        return getattr(client, method)(path, **extra)
    return getattr(client, method)(path, body, content_type="application/json", **extra)


@dataclass
class Population:
    space: Space
    ana: User
    ben: User
    codes: list[str] = field(default_factory=list)
    # Each code's Django app ("agreements", "journal", ...), for the matrix to pair
    # an endpoint with the objects of its own capability.
    apps_of: dict[str, str] = field(default_factory=dict)
    made_by_api: list[str] = field(default_factory=list)
    made_by_model: list[str] = field(default_factory=list)
    # What the admitted counselor may be shown: codes of its in-scope objects.
    counselor_may_see: set[str] = field(default_factory=set)
    counselor_was_shown: set[str] = field(default_factory=set)


def _key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


def _value_for(f: models.Field[Any, Any], text: str) -> Any:
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return today()
    if isinstance(f, models.DurationField):
        return dt.timedelta(minutes=20)
    if isinstance(f, models.TimeField):
        return dt.time(9, 0)
    if isinstance(f, models.DecimalField | models.FloatField | models.IntegerField):
        return 1
    if isinstance(f, models.BinaryField):
        return b""
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.EmailField):
        return f"{text}@example.com"
    if f.name in ("zone", "time_zone"):
        # A schedule's clock must be a real zone (as its API checks), or the
        # calendar that reads it fails on a row no request could have made.
        return "UTC"
    max_length = getattr(f, "max_length", None) or 200
    return f"{text} {f.name}"[:max_length]


def make_row(model: type[models.Model], pop: Population, author: User) -> models.Model:
    """Return a saved MODEL row in POP's space, its required links made recursively."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        # A space link is always filled, even where it may be empty: an empty one
        # (a built-in inventory item, say) would make the row everyone's.
        if f.name == "space":
            values["space"] = pop.space
        elif f.primary_key or f.has_default() or f.null:
            continue
        elif isinstance(f, models.ForeignKey):
            values[f.name] = _linked(f.related_model, pop, author)  # type: ignore[arg-type]  # a model class
        elif not f.blank or isinstance(f, models.BooleanField):
            values[f.name] = _value_for(f, SECRET)
    obj = model(**values)
    if isinstance(obj, PrivateContent):
        obj.author = author
        obj.set_content(
            _key(author), {"title": f"{SECRET} title", "body": f"{SECRET} body"}
        )
    obj.save()
    return obj


def _linked(model: type[models.Model], pop: Population, author: User) -> models.Model:
    if model is User:
        return author
    if model is Space:
        return pop.space
    if issubclass(model, SpaceOwned):
        existing = model._default_manager.filter(space=pop.space).first()  # type: ignore[misc]  # concrete subclass
        return existing or make_row(model, pop, author)
    return make_row(model, pop, author)


def owned_codes(space: Space, users: list[User]) -> dict[str, str]:
    """Return the public code of everything that belongs to SPACE or to USERS, each
    with the label of its model's app."""
    codes: dict[str, str] = {}
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "code" not in names:
            continue
        manager = model._default_manager
        if model is Space:
            rows = manager.filter(pk=space.pk)
        elif model is User:
            rows = manager.filter(pk__in=[u.pk for u in users])
        else:
            links = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey) and f.related_model in (Space, User)
            ]
            if not links:
                continue
            link = next((f for f in links if f.related_model is Space), links[0])
            rows = manager.filter(
                **(
                    {link.name: space}
                    if link.related_model is Space
                    else {f"{link.name}__in": users}
                )
            )
        for code in rows.values_list("code", flat=True):
            codes[str(code)] = model._meta.app_label
    return dict(sorted(codes.items()))


def populate(space: Space, ana: User, ben: User) -> Population:
    pop = Population(space=space, ana=ana, ben=ben)
    for person in (ana, ben):
        person.display_name = f"{person.username} {SECRET} name"
        person.save(update_fields=["display_name"])
    space.name = f"{SECRET} space"
    space.save(update_fields=["name"])
    clients = {ana.pk: signed_in(ana), ben.pk: signed_in(ben)}
    schema = openapi(clients[ana.pk])
    for person in (ana, ben):
        client = clients[person.pk]
        for flag in (False, True):
            for method, path, op in operations(schema):
                # Public operations (sign-up, tokens) make new people, not their data.
                if method != "post" or "{" in path or not op.get("security"):
                    continue
                body = request_body(op, schema, SECRET, flag)
                response = call(client, method, path, body or {})
                if 200 <= response.status_code < 300:
                    pop.made_by_api.append(f"{method.upper()} {path}")
    # The basics the matrix needs, whatever the API made.
    for person in (ana, ben):
        key = _key(person)
        for share in (False, True):
            entry = journal.write_entry(
                space, person, key, title=f"{SECRET} t", body=f"{SECRET} b", share=share
            )
        ApiToken.issue(person, f"{SECRET} token")
    open_entry(entry, ana, _key(ana), "journal entry")
    Invite.issue(space, ana)
    for model in apps.get_models():
        if (
            issubclass(model, SpaceOwned)
            and not model._meta.abstract
            and not model._default_manager.filter(space=space).exists()  # type: ignore[misc]  # concrete subclass
        ):
            make_row(model, pop, ana)
            pop.made_by_model.append(model._meta.label)
    pop.apps_of = owned_codes(space, [ana, ben])
    pop.codes = list(pop.apps_of)
    return pop


def counselor_personas(
    space: Space, ana: User, ben: User, dan: User
) -> dict[str, User]:
    """Make the three counselor personas of the matrix.

    counselor: admitted by Ana and Ben (scopes set by scope_counselor);
    other_counselor: admitted by Dan and Eve only; removed_counselor: admitted by
    Ana and Ben, then removed by Ben.
    """
    from conftest import make_person
    from mend.counselor import actions as counselor
    from mend.counselor.models import Counselor

    people = {}
    for name in ("counselor", "other_counselor", "removed_counselor"):
        user = make_person(name, name.replace("_", " ").title())
        Counselor.become(user)
        people[name] = user
    dans = Space.objects.for_member(dan).get()
    for who, couple, partners in (
        ("counselor", space, (ana, ben)),
        ("removed_counselor", space, (ana, ben)),
        ("other_counselor", dans, tuple(dans.partners())),
    ):
        _invite, code = counselor.invite(couple, partners[0])
        admission = counselor.join(people[who], code)
        for partner in partners:
            admission.approve(partner, "I agree")
        if who == "removed_counselor":
            admission.remove(ben)
    return people


# The scopes the matrix's admitted counselor has: the rest stay off.
MATRIX_SCOPES = ("agreements", "commitments", "conversations")


def scope_counselor(pop: Population, user: User) -> None:
    """Turn MATRIX_SCOPES on for USER's admission, and list what USER may see."""
    from mend.agreements.models import Agreement, AgreementEvent, AgreementVersion
    from mend.commitments.models import Commitment, Goal, Milestone, Slip
    from mend.conversations.models import (
        Conversation,
        Move,
        Outcome,
        Topic,
        Turn,
        WitnessNote,
    )
    from mend.counselor.models import Admission

    admission = Admission.objects.serving(user).get()
    for scope in MATRIX_SCOPES:
        for partner in (pop.ana, pop.ben):
            admission.set_scope(partner, scope, on=True)
    may_see: set[str] = {str(admission.code)}
    for model in (
        Agreement,
        AgreementVersion,
        AgreementEvent,
        Commitment,
        Goal,
        Milestone,
        Conversation,
        Topic,
        Turn,
        Move,
        Outcome,
        WitnessNote,
    ):
        may_see |= {
            str(c)
            for c in model._default_manager.filter(space=pop.space).values_list(
                "code", flat=True
            )
        }
    may_see |= {
        str(c)
        for c in Slip.objects.filter(space=pop.space, is_shared=True).values_list(
            "code", flat=True
        )
    }
    # Partners' own codes name them on the page (the assignment's "for").
    may_see |= {str(pop.ana.code), str(pop.ben.code)}
    pop.counselor_may_see = may_see
