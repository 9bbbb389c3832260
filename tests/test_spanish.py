"""Mend in Spanish: from the browser's Accept-Language, or from the person's own choice."""

import html
import io
import re
from collections.abc import Callable

import polib
from django.test import Client
from pypdf import PdfReader

from conftest import signed_in
from mend.accounts.models import User
from mend.couples.models import Space
from mend.privacy.tests.helpers import confirmed, write
from tests.security.population import call, openapi, populate
from tests.security.test_authorization_matrix import codes_for, endpoints, urls
from tests.test_translations import PO

ClientFor = Callable[[User], Client]
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
# A few words each key page says, in Spanish, and the English they replace.
PAGES = {
    "/": ["Inicio", "Privacidad", "Cerrar sesión"],
    "/safety/": [
        "Seguridad en el momento",
        "Respirar y volver a tierra",
        "Lo que me activa",
    ],
    "/safety/send/": ["¿Qué necesitas?", "Tiempo para calmarse, en minutos"],
    "/journal/": ["Diario", "Escribir una entrada", "Buscar"],
}
ENGLISH = ["Sign out", "Write an entry", "Ask for a pause", "What do you need?"]


def _says(response: object, words: list[str]) -> None:
    html = response.content.decode()  # type: ignore[attr-defined]  # a test client response
    assert response.status_code == 200, html[:500]  # type: ignore[attr-defined]
    for word in words:
        assert word in html, f"{word!r} not on the page"
    assert not [w for w in ENGLISH if w in html], "English left on a Spanish page"
    assert '<html lang="es">' in html


def test_a_browser_that_asks_for_spanish_gets_spanish_pages(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    for path, words in PAGES.items():
        _says(client.get(path, **SPANISH), words)


def test_a_signed_out_page_follows_the_browser(db: None) -> None:
    page = Client().get("/accounts/login/", **SPANISH).content.decode()
    assert "Iniciar sesión" in page and "¿Eres nuevo aquí?" in page
    assert "New here?" not in page
    english = Client().get("/accounts/login/").content.decode()
    assert "New here?" in english


def test_the_profile_choice_wins_over_the_browser(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "Ana",
            "email": "",
            "time_zone": "Europe/Berlin",
            "language": "es",
        },
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.language == "es"
    # The message after saving already speaks the new language.
    assert "Guardado." in client.get("/accounts/profile/").content.decode()
    # An English-speaking browser still gets Spanish: the person chose it.
    for path, words in PAGES.items():
        _says(client.get(path, HTTP_ACCEPT_LANGUAGE="en"), words)
    # Back to following the browser.
    ana.language = ""
    ana.save(update_fields=["language"])
    assert "Write an entry" in client.get("/journal/").content.decode()


def test_the_profile_refuses_a_language_mend_does_not_speak(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).post(
        "/accounts/profile/",
        {"display_name": "Ana", "email": "", "time_zone": "UTC", "language": "fr"},
    )
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.language == ""


def test_dates_are_written_the_spanish_way(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    write(client, "hoy")
    page = client.get("/journal/", **SPANISH).content.decode()
    months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio")
    months += ("agosto", "septiembre", "octubre", "noviembre", "diciembre")
    assert any(f" de {month} de " in page for month in months)


def test_the_export_pdf_is_in_spanish(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    ana.language = "es"
    ana.save(update_fields=["language"])
    client = confirmed(client_for(ana))
    write(client, "Mis palabras")
    response = client.get("/privacy/export.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ("Tu exportación de Mend", "Zona horaria", "Mis palabras"):
        assert words in text
    assert "Time zone" not in text and "Your Mend export" not in text


def test_the_agreement_pdf_is_in_spanish(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).get("/agreements/our-agreement.pdf", **SPANISH)
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Nuestro acuerdo" in text
    assert "Our agreement" not in text


def test_a_quick_exit_lands_on_a_spanish_recipe(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    page = client_for(ana).get("/kitchen/", **SPANISH).content.decode()
    assert "Sopa de lentejas" in page and "lentil" not in page


def _english_sentences() -> set[str]:
    """The catalogue's English of two words or more that Spanish says differently."""
    return {
        e.msgid
        for e in polib.pofile(str(PO)).translated_entries()
        if e.msgstr != e.msgid
        and len(e.msgid.split()) >= 2
        and not re.search(r"%|\{", e.msgid)
    }


def _words_on(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    shown = re.findall(
        r'(?:aria-label|placeholder|title|alt|data-[\w-]+)="([^"]*)"', page
    )
    return html.unescape(re.sub(r"<[^>]+>", "\n", page) + "\n" + "\n".join(shown))


def test_no_page_says_english_to_a_spanish_speaker(
    space: Space, ana: User, ben: User
) -> None:
    """Every page, with one of everything in the space, in Spanish: no catalogue English.

    Both chose Spanish before writing anything, so words Mend writes for them (a
    default ladder, a device's name) are Spanish too.
    """
    for person in (ana, ben):
        person.language = "es"
        person.save(update_fields=["language"])
    pop = populate(space, ana, ben)
    english = _english_sentences()
    client = signed_in(ana)
    found: dict[str, str] = {}
    pages = 0
    for e in endpoints(openapi(client)):
        if e.is_api or e.method != "get":
            continue
        for path, _theirs in urls(e.template, codes_for(e.template, pop)):
            response = call(client, "get", path)
            if response.streaming or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            words = _words_on(response.content.decode())
            for sentence in english:
                if sentence in words:
                    found.setdefault(sentence, path)
    assert pages > 100
    assert not found, "English on Spanish pages:\n" + "\n".join(
        f"  {path}: {sentence!r}" for sentence, path in sorted(found.items())
    )


def test_a_refusal_is_said_in_spanish(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).post(
        "/journal/new/", {"title": "", "body": ""}, **SPANISH
    )
    page = response.content.decode()
    assert "Este campo es obligatorio." in page
    assert "This field is required." not in page


def test_the_api_reads_and_sets_the_language(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    assert client.get("/api/accounts/me").json()["language"] == ""
    response = client.patch(
        "/api/accounts/me", {"language": "es"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["language"] == "es"
    refused = client.patch(
        "/api/accounts/me", {"language": "xx"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "todavía" in refused.json()["detail"]  # said in her language
    ana.refresh_from_db()
    assert ana.language == "es"


def test_it_explains_invalid_api_input_in_the_persons_language(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    bad = {"title": "x" * 201, "body": ""}

    def details(language: str = "en") -> dict[str, str]:
        response = client.post(
            "/api/journal/entries",
            bad,
            content_type="application/json",
            headers={"Accept-Language": language},
        )
        assert response.status_code == 422, response.content
        return {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}

    # Pydantic's types and places stay, for programs; the words follow the language.
    assert details("es-ES,es;q=0.9") == {
        "title": "Que no pase de 200 caracteres, por favor.",
        "body": "Escribe al menos 1 carácter, por favor.",
    }
    assert details() == {
        "title": "Please keep this to 200 characters.",
        "body": "Please write at least 1 character.",
    }
    # Her own choice wins over an English browser, as on the pages.
    ana.language = "es"
    ana.save(update_fields=["language"])
    missing = client.post(
        "/api/journal/entries", {}, content_type="application/json"
    ).json()["detail"]
    assert [(e["type"], e["msg"]) for e in missing] == [("missing", "Hace falta.")]
