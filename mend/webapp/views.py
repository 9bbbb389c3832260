"""Mend on a phone's home screen: the manifest, the icon and the service worker.

The worker keeps a few public pages working offline. It caches only pages anyone may
see signed out, fetched without cookies, and the static files they use: a signed-in
page is never kept on the device (docs/security.md).
"""

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The light page colour (mend.css --bg). A manifest holds one; base.html's theme-color
# tags give browsers the dark one too.
LIGHT = "#faf7f2"


def offline_pages() -> list[str]:
    """Return the public pages the worker keeps: grounding, help and quick exit's page."""
    return [
        reverse("safety:grounding"),
        reverse("safety:help"),
        reverse("safety:neutral"),
    ]


def offline_assets() -> list[str]:
    """Return the static files those pages use, by the names the pages link to."""
    return [
        static("mend/mend.css"),
        static("safety/safety.css"),
        static("mend/vendor/htmx.min.js"),
        static("mend/mend.js"),
        static("safety/live.js"),
        static("safety/grounding.js"),
        static("mend/icon.svg"),
        # The quick-exit page links its plain name, so it says nothing of Mend.
        "/static/mend/neutral.css",
    ]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    pages, assets = offline_pages(), offline_assets()
    # A new deployment (new hashed file names) makes a new cache and drops the old one.
    version = hashlib.sha256(json.dumps([pages, assets]).encode()).hexdigest()[:16]
    # No request context: the worker is the same for everyone and reads nothing more.
    source = render_to_string(
        "webapp/sw.js",
        {
            "pages": json.dumps(pages),
            "assets": json.dumps(assets),
            "version": version,
            # Shown if a push arrives without readable words; the same neutral text.
            "neutral": json.dumps(_("Something in Mend is waiting for you")),
            "icon": json.dumps(static("mend/icons/icon-192.png")),
        },
    )
    return HttpResponse(source, content_type="text/javascript; charset=utf-8")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static(f"mend/icons/{kind}-{size}.png"), "sizes": f"{size}x{size}"}
        | {"type": "image/png", "purpose": "maskable" if kind == "maskable" else "any"}
        for kind in ("icon", "maskable")
        for size in (192, 512)
    ]
    data = {
        "name": "Mend",
        "short_name": "Mend",
        "description": _("A calm place for two people rebuilding trust."),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": LIGHT,
        "theme_color": LIGHT,
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json")


@cache
def _favicon() -> bytes:
    path = finders.find("mend/favicon.ico")
    assert isinstance(path, str)
    with open(path, "rb") as f:
        return f.read()


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_favicon(), content_type="image/x-icon")
