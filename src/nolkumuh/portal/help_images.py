"""The user guide's screenshots, light on a phone: the help page shows copies made with Pillow at
the width they are shown (360 or 720 pixels wide, 64 colours: screenshots are flat colours and
text), loaded only when scrolled near (loading="lazy"), with their size declared so that the page
does not jump; a click opens the full-size original. Copies are made on first request and kept in
the data folder, named by the original's size and time, so a new screenshot gets new copies."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

WIDTHS = (360, 720)  # the phone and the desktop width of the help page's column
COLOURS = 64
_IMG = re.compile(r'<img alt="(?P<alt>[^"]*)" src="(?P<src>[^"?]+\.png)"\s*/?>')


def small_copy(source: Path, *, width: int, folder: Path) -> Path:
    """A copy of the screenshot at most `width` pixels wide, made once."""
    stat = source.stat()
    target = folder / f"{source.stem}-{stat.st_size}-{stat.st_mtime_ns}-{width}.png"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as original:
        image = original.convert("RGB")
    image.thumbnail((width, image.height))
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as out:
        image.quantize(COLOURS).save(out, "PNG", optimize=True)
    Path(out.name).replace(target)  # whole or not at all, for a second request at the same time
    return target


def shown_size(source: Path, width: int) -> tuple[int, int]:
    """The copy's width and height in pixels, from the original's header (no decoding)."""
    with Image.open(source) as original:
        w, h = original.size
    return (w, h) if w <= width else (width, round(h * width / w))


def light_images(html: str, *, size: Callable[[str], tuple[int, int] | None]) -> str:
    """The guide's <img> tags with lazy loading, their shown size, a copy per width (srcset) and a
    link to the original; `size` gives the shown size of an image by its URL (None: leave it)."""

    def replace(match: re.Match[str]) -> str:
        src, alt = match["src"], match["alt"]
        shown = size(src)
        if shown is None:
            return match[0]
        srcset = ", ".join(f"{src}?lebar={w} {w}w" for w in WIDTHS)
        return (
            f'<a href="{src}"><img alt="{alt}" src="{src}?lebar={WIDTHS[-1]}" srcset="{srcset}" '
            f'sizes="(max-width: 760px) 100vw, {WIDTHS[-1]}px" width="{shown[0]}" height="{shown[1]}" '
            'loading="lazy" decoding="async"></a>'
        )

    return _IMG.sub(replace, html)


def scrolling_tables(html: str) -> str:
    """The guide's tables in a box that scrolls sideways, so that on a phone the page keeps the
    screen's width."""
    return html.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")
