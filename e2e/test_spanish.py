"""Mend in Spanish, as two partners on phones: one browser asks for Spanish, the other
person chooses it on their own page (#18)."""

import os
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp"))  # noqa: S108  # a scratch place for a look
PHONE = {"width": 390, "height": 844}
PASSWORD = "a long enough passphrase 1"


def test_two_partners_use_mend_in_spanish(
    mend: MendServer, new_context: Callable[..., BrowserContext]
) -> None:
    # Ana's phone is set to Spanish: Mend answers in Spanish before she signs up.
    ana = new_context(viewport=PHONE, locale="es-ES").new_page()
    ana.goto(mend.url + "/accounts/signup/")
    expect(ana.locator("html")).to_have_attribute("lang", "es")
    expect(ana.get_by_role("heading", name="Crea tu cuenta")).to_be_visible()
    ana.get_by_label("Nombre de usuario").fill("ana-es")
    ana.get_by_label("¿Qué nombre quieres que vea tu pareja?").fill("Ana")
    ana.locator("#id_password1").fill(PASSWORD)
    ana.locator("#id_password2").fill(PASSWORD)
    ana.get_by_role("button", name="Crear cuenta").click()
    ana.get_by_text("Guarda este código de recuperación en un lugar seguro").wait_for()
    ana.get_by_role("link", name="Ya lo he guardado, continuar").click()
    ana.get_by_role("link", name="Crear nuestro espacio").click()
    ana.get_by_label("Mi confianza se rompió").check()
    ana.get_by_role("button", name="Crear espacio").click()
    ana.get_by_role("button", name="Crear una invitación").click()
    link = ana.locator("#invite-link").inner_text().strip()

    # Ben's browser asks for English; he joins in English, then chooses Spanish.
    ben = new_context(viewport=PHONE, locale="en-GB").new_page()
    ben.goto(link)
    ben.get_by_role("link", name="Create an account").click()
    ben.get_by_label("Username").fill("ben-es")
    ben.get_by_label("What should your partner see as your name?").fill("Ben")
    ben.locator("#id_password1").fill(PASSWORD)
    ben.locator("#id_password2").fill(PASSWORD)
    ben.get_by_role("button", name="Create account").click()
    ben.get_by_role("link", name="I've saved it, continue").click()
    ben.get_by_role("button", name="Join Ana's space").click()
    ben.goto(mend.url + "/accounts/profile/")
    ben.get_by_label("Language").select_option("es")
    ben.get_by_role("button", name="Save").click()
    expect(ben.get_by_text("Guardado.")).to_be_visible()
    expect(ben.locator("html")).to_have_attribute("lang", "es")

    # Both now read home, the pause and the journal in Spanish.
    for page in (ana, ben):
        page.goto(mend.url + "/")
        expect(page.get_by_role("heading", name="Su trabajo juntos")).to_be_visible()
        expect(page.get_by_role("link", name="Diario")).to_be_visible()
        check_accessibility(page)
        check_fits_phone(page)
    ana.screenshot(path=str(SHOTS / "spanish-home.png"), full_page=True)
    ben.goto(mend.url + "/safety/send/")
    expect(ben.get_by_role("heading", name="Pedir una pausa")).to_be_visible()
    check_accessibility(ben)
    ben.screenshot(path=str(SHOTS / "spanish-pause.png"), full_page=True)
    ana.goto(mend.url + "/journal/")
    expect(ana.get_by_role("link", name="Escribir una entrada")).to_be_visible()
    check_accessibility(ana)
