"""Draw Mend's PNG and ICO icons from the SVGs beside this file (run by hand).

    .venv/bin/python mend/static/mend/icons/make_icons.py

Needs the browser tests' chromium (Playwright), a development dependency only: the
PNGs it writes are committed, so a server never runs this.
"""

import shutil
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
# The rounded icon (transparent corners) for browsers; the full-bleed one for
# launchers that cut their own shape (maskable: the heart sits in the middle 60%).
ROUNDED = HERE.parent / "icon.svg"
FULL = HERE / "maskable.svg"
PNGS = {
    "icon-192.png": (ROUNDED, 192),
    "icon-512.png": (ROUNDED, 512),
    "maskable-192.png": (FULL, 192),
    "maskable-512.png": (FULL, 512),
    "apple-touch-icon.png": (FULL, 180),
}
ICO_SIZES = (16, 32, 48)


def ico(pngs: list[tuple[int, bytes]]) -> bytes:
    """Return an ICO file holding PNGS (size, bytes): PNG entries, as Vista and later read."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        entries += struct.pack(
            "<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset
        )
        offset += len(png)
        data += png
    return header + entries + data


def main() -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])

        def render(svg: Path, size: int) -> bytes:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}"
                "svg{display:block;width:100vw;height:100vh}</style>" + svg.read_text()
            )
            png = page.screenshot(omit_background=True)
            page.close()
            return png

        for name, (svg, size) in PNGS.items():
            (HERE / name).write_bytes(render(svg, size))
        (HERE.parent / "favicon.ico").write_bytes(
            ico([(size, render(ROUNDED, size)) for size in ICO_SIZES])
        )
        browser.close()


if __name__ == "__main__":
    main()
