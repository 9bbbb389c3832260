"""Web Push, as two partners: Ben turns it on, Ana pauses, his push service hears.

The push service is a local https stand-in the test starts (the server trusts its
certificate through REQUESTS_CA_BUNDLE); the browser's subscription is made with keys
the test holds, so the test decrypts what a phone would show. Nothing leaves 127.0.0.1.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, expect

from e2e.conftest import MendServer, check_accessibility, check_fits_phone
from e2e.test_foundation import create_space_and_invite
from e2e.test_safety import join
from mend.notify.tests.receiver import (
    Browser,
    b64,
    check_vapid,
    push_service,
    self_signed,
)

SHOTS = Path(os.environ.get("MEND_SCREENSHOTS", "/tmp"))  # noqa: S108  # a scratch place for a look
# Chromium's own push service can't be reached from a test: the subscription is the
# one a browser would hand back, with keys this test holds.
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


def test_a_pause_reaches_the_partners_push_service_as_ciphertext(
    start_mend: Callable[..., MendServer],
    new_context: Callable[..., BrowserContext],
    tmp_path: Path,
) -> None:
    certificate = self_signed(tmp_path)
    phone = Browser()
    with push_service(certificate) as service:
        mend = start_mend(REQUESTS_CA_BUNDLE=str(certificate), MEND_PUSH="1")
        ana = new_context().new_page()
        ben_context = new_context(viewport={"width": 390, "height": 844})
        ben_context.grant_permissions(["notifications"], origin=mend.url)
        endpoint = service.endpoint("ben")
        ben_context.add_init_script(
            f"({FAKE_SUBSCRIBE})({[endpoint, phone.p256dh, b64(phone.auth)]!r})"
        )
        join(ben := ben_context.new_page(), create_space_and_invite(ana, mend))

        ben.goto(mend.url + "/calendar/")
        ben.get_by_role("link", name="Notifications on your phone").click()
        expect(
            ben.get_by_text("this is the one outbound call Mend makes")
        ).to_be_visible()
        check_accessibility(ben)
        check_fits_phone(ben)
        ben.get_by_label("A name for this device").fill("Ben's phone")
        ben.get_by_role("button", name="Turn on notifications").click()
        expect(ben.get_by_text("Notifications are on for this device.")).to_be_visible()
        expect(
            ben.get_by_role("button", name="Turn off for Ben's phone")
        ).to_be_visible()
        # The page handed the browser the server's VAPID public key (65 bytes).
        assert ben.evaluate("sessionStorage.getItem('askedWithKey')") == "65"
        check_accessibility(ben)
        ben.screenshot(path=str(SHOTS / "push-390.png"), full_page=True)

        # Ana sees nothing of Ben's devices.
        ana.goto(mend.url + "/reminders/push/")
        expect(ana.get_by_text("No device gets notifications.")).to_be_visible()
        expect(ana.get_by_text("Ben's phone")).to_have_count(0)

        ana.goto(mend.url + "/")
        ana.get_by_role("link", name="Pause", exact=True).click()
        ana.get_by_role("button", name="Send").click()
        expect(ana.get_by_role("heading", name="Breathe and ground")).to_be_visible()
        deadline = time.monotonic() + 10
        while not service.received and time.monotonic() < deadline:
            time.sleep(0.1)

    [received] = service.received
    assert received.path == "/push/ben"
    check_vapid(received.headers["authorization"], service.origin)
    assert b"waiting" not in received.body
    assert phone.decrypt(received.body) == {
        "title": "Mend",
        "body": "Something in Mend is waiting for you",
    }
