"""API tokens from the browser: made with the password, listed, used, revoked."""

from collections.abc import Callable
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import BrowserContext, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone, sign_up

PASSWORD = "a long enough passphrase 1"


def test_a_token_needs_the_password_and_is_listed_and_revoked(
    start_mend: Callable[..., MendServer],
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
) -> None:
    mend = start_mend()
    page = new_context().new_page()
    page.goto(mend.url + "/accounts/signup/")
    sign_up(page, "tia", "Tia")
    page.goto(mend.url + "/accounts/profile/")
    form = page.locator("form", has=page.get_by_role("button", name="Create token"))

    # Without the password, nothing is made and the form says why.
    form.get_by_label("What is this token for?").fill("my diary script")
    form.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="my diary script")
    ).to_have_count(0)
    check_accessibility(page)
    check_fits_phone(page)
    page.screenshot(path=tmp_path / "tokens_refused_360.png", full_page=True)

    form.get_by_label("What is this token for?").fill("my diary script")
    form.get_by_label("Let it open my private entries").check()
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Create token").dblclick()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    secret = page.locator("#token").inner_text()
    assert secret.startswith("mend_")
    check_fits_phone(page)

    # The token works for reading, but never for an account-level act.
    me = page.request.get(
        mend.url + "/api/accounts/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert me.json()["username"] == "tia"
    listed = page.request.get(
        mend.url + "/api/accounts/tokens",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert listed.status == 403
    assert "browser" in listed.json()["detail"]

    page.get_by_role("link", name="Done").click()
    rows = page.get_by_role("listitem").filter(has_text="my diary script")
    expect(rows.first).to_contain_text("Opens private entries")
    check_accessibility(page)
    check_fits_phone(page)
    page.screenshot(path=tmp_path / "tokens_listed_360.png", full_page=True)

    # A double click may have made two; revoke them one by one until none is left.
    count = rows.count()
    assert count in (1, 2)
    for _ in range(count):
        rows.first.get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("Token revoked.")).to_be_visible()
    expect(rows).to_have_count(0)
    # Asked without the browser's cookies: the token alone no longer lets anyone in.
    asked = Request(  # noqa: S310  # our own test server's http URL
        mend.url + "/api/accounts/me", headers={"Authorization": f"Bearer {secret}"}
    )
    with pytest.raises(HTTPError) as gone:
        urlopen(asked)  # noqa: S310  # the same URL
    assert gone.value.code == 401
