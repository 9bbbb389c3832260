import io
import json
from collections.abc import Callable

from django.test import Client
from pypdf import PdfReader

from conftest import PASSWORD, make_person
from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.pdf import fit
from mend.privacy.tests.helpers import confirmed, write


def test_it_requires_login(db: None) -> None:
    for url in ("/privacy/export/", "/privacy/export.json", "/privacy/export.pdf"):
        assert Client().get(url).status_code == 302
    body = {"password": PASSWORD}
    assert (
        Client().post("/api/privacy/export", body, "application/json").status_code
        == 401
    )


def test_it_requires_the_password_again(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for url in ("/privacy/export/", "/privacy/export.json", "/privacy/export.pdf"):
        assert client.get(url)["Location"].startswith("/accounts/confirm/")
    body = {"password": "wrong wrong wrong"}
    assert (
        client.post("/api/privacy/export", body, "application/json").status_code == 403
    )


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = confirmed(client_for(ana))
    write(client, "my private thought")
    page = client.get("/privacy/export/")
    assert page.status_code == 200
    assert b"my private thought" in page.content
    response = client.get("/privacy/export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "ana"
    [group] = data["content"]
    assert group["items"][0]["fields"]["Entry"] == "my private thought"
    assert "sealed" not in group["items"][0]
    assert "id" not in group["items"][0]
    pdf = client.get("/privacy/export.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    write(client_for(ana), "ana's shared", share=True)
    client_for(ben).get("/journal/")
    data = confirmed(client_for(dan)).get("/privacy/export.json").json()
    assert "ana's shared" not in json.dumps(data)
    assert data["access_log"] == []


def test_it_holds_no_partner_text_but_the_shared_access_log(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    write(b, "ben private text")
    write(b, "ben shared text", share=True)
    write(a, "ana shared text", share=True)
    a.get("/journal/")
    b.get("/journal/")
    body = {"password": PASSWORD}
    data = a.post("/api/privacy/export", body, "application/json").json()
    text = json.dumps(data)
    assert "ana shared text" in text
    assert "ben private text" not in text
    assert "ben shared text" not in text
    assert {e["viewer"] for e in data["access_log"]} == {"Ana", "Ben"}


def test_it_names_entries_it_could_not_open(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    write(client_for(ana), "locked away")
    client = Client()
    client.force_login(ana)  # Signed in without the key: private entries locked.
    client.session.save()
    session = client.session
    session["mend_password_confirmed_at"] = __import__("time").time()
    session.save()
    data = client.get("/privacy/export.json").json()
    assert "locked away" not in json.dumps(data)
    assert len(data["locked"]) == 1
    assert "locked" in data["locked"][0]["reason"]
    page = client.get("/privacy/export/")
    assert b"be opened" in page.content


def test_the_pdf_keeps_every_script_and_marks_what_it_cannot_draw(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = confirmed(client_for(ana))
    write(client, "Zoë said “sorry” — שלום עולם, مرحبا 🌱 你 end")
    response = client.get("/privacy/export.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Zoë said “sorry” —" in text
    for word in ("שלום", "עולם", "[seedling]", "[U+4F60]"):
        assert word in text
    assert "?" not in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]  # pypdf types a page's resources loosely
    }
    assert all("DejaVuSans" in name for name in fonts), fonts


def test_it_marks_what_the_font_cannot_draw() -> None:
    assert fit("Zoë 🌱\x00 x") == "Zoë [seedling] x"
    assert fit("你") == "[U+4F60]"
    assert fit("שלום مرحبا") == "שלום مرحبا"


def test_it_names_the_download_for_any_username(
    db: None, client_for: Callable[[User], Client]
) -> None:
    zoe = make_person("זואי", "Zoë")
    client = confirmed(client_for(zoe))
    for url in ("/privacy/export.json", "/privacy/export.pdf"):
        disposition = client.get(url)["Content-Disposition"]
        assert disposition.startswith('attachment; filename="mend-____-')
        assert "filename*=UTF-8''mend-%D7%96%D7%95%D7%90%D7%99-" in disposition
        disposition.encode("latin-1")


def test_it_finds_every_authored_model_by_its_author_key() -> None:
    from mend.journal.models import JournalEntry
    from mend.privacy.actions import authored_models
    from mend.privacy.models import AccessLog

    found = dict(authored_models())
    assert found[JournalEntry] == "author"
    assert AccessLog not in found
