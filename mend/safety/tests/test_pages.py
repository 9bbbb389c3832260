import json
from collections.abc import Callable
from pathlib import Path

from django.test import Client, override_settings

from mend.accounts.models import User
from mend.couples.models import Space
from mend.safety import actions


def test_it_requires_login(db: None) -> None:
    assert Client().get("/safety/").status_code == 302
    assert Client().get("/safety/banner/").status_code == 302


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="slow", minutes=15)
    page = client_for(ana).get("/safety/").content.decode()
    assert (
        "Safety in the moment" in page and "Slow down" in page and "15 minutes" in page
    )


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    actions.send_signal(space, ana, kind="slow", minutes=15)
    assert "15 minutes" not in client_for(dan).get("/safety/").content.decode()


def test_every_signed_in_page_has_the_pause_control_and_stream(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    # The banner is fetched by the page's script, so it adds no query to any page.
    page = client.get("/").content.decode()
    assert 'href="/safety/send/"' in page and 'data-stream="/live/stream/"' in page
    assert "safety/live.js" in page


def test_grounding_needs_nothing_from_the_network(db: None) -> None:
    page = Client().get("/safety/grounding/").content.decode()
    assert "4-7-8" in page and "Box" in page and "5 things you can see" in page
    assert "safety/grounding.js" in page
    script = (
        Path(__file__).resolve().parent.parent / "static" / "safety" / "grounding.js"
    ).read_text()
    assert "fetch(" not in script and "XMLHttpRequest" not in script


def test_the_help_page_names_no_country_by_default(db: None) -> None:
    page = Client().get("/safety/help/").content.decode()
    assert "If you feel unsafe at home" in page
    assert "local emergency number" in page


def test_the_help_page_shows_the_deployments_resources(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "help.json"
    path.write_text(
        json.dumps(
            [{"name": "Riverside helpline", "phone": "0800 000 000", "notes": "24/7"}]
        )
    )
    with override_settings(HELP_RESOURCES_FILE=str(path)):
        page = Client().get("/safety/help/").content.decode()
    assert "Riverside helpline" in page and 'href="tel:0800 000 000"' in page
