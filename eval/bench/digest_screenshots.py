"""`mercurios bench digest-screenshots`: the digest email as a reader's mail client shows it.

The email as sent (inline CSS, images by Content-ID) is opened in Chromium (Playwright, Debian's
/usr/bin/chromium) with the inline images resolved as a mail client resolves `cid:` links, at a
desktop mail pane's 600 px and a phone's 375 px, light and dark. For each it measures what a
reader would notice: horizontal overflow (a page wider than the screen), findings that are not
visible (clipped, zero-sized or off to the side), images that did not load or have no alt text.
Screenshots are written for a reader to look at; the numbers are printed (and asserted by the
test suite, not here).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.channels.digests.render import RenderedDigest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = (600, 375)
Scheme = Literal["light", "dark"]

# Run in the page: the layout facts a reader would notice, for the findings and the images.
_MEASURE = """() => {
  const width = window.innerWidth;
  const findings = Array.from(document.querySelectorAll('.finding')).map(e => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return {text: e.textContent.trim(), left: r.left, right: r.right, height: r.height,
            shown: style.display !== 'none' && style.visibility !== 'hidden'};
  });
  const images = Array.from(document.images).map(i => ({
    loaded: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt') || '',
    right: i.getBoundingClientRect().right}));
  return {width, scrollWidth: document.documentElement.scrollWidth, findings, images};
}"""


@dataclass(frozen=True)
class Shot:
    width: int
    scheme: Scheme
    path: Path
    scroll_width: int
    findings: tuple[str, ...]  # the text of every finding shown
    hidden: tuple[str, ...]  # findings clipped, zero-sized or outside the screen
    images: int
    broken_images: int  # not loaded, or wider than the screen
    missing_alt: int

    @property
    def overflow_px(self) -> int:
        return max(0, self.scroll_width - self.width)


def mail_client_html(digest: RenderedDigest) -> str:
    """The HTML with its inline images resolved, as a mail client shows it (cid: → the image)."""
    html = digest.html
    for image in digest.images:
        html = html.replace(
            f"cid:{image.cid}", "data:image/png;base64," + base64.b64encode(image.png).decode()
        )
    return html


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # a dev/bench dependency, loaded when used

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shoot(
    browser: Any,
    digest: RenderedDigest,
    out_dir: Path,
    *,
    widths: Sequence[int] = WIDTHS,
    schemes: Sequence[Scheme] = ("light", "dark"),
    stem: str = "digest",
) -> list[Shot]:
    out_dir.mkdir(parents=True, exist_ok=True)
    html = mail_client_html(digest)
    shots = []
    for scheme in schemes:
        for width in widths:
            context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
            try:
                page = context.new_page()
                page.route("**/*", lambda route: route.abort())  # a mail client loads nothing remote
                page.set_content(html, wait_until="load")
                facts = page.evaluate(_MEASURE)
                path = out_dir / f"{stem}-{width}px-{scheme}.png"
                page.screenshot(path=str(path), full_page=True)
            finally:
                context.close()
            hidden = tuple(
                f["text"]
                for f in facts["findings"]
                if not f["shown"] or f["height"] <= 0 or f["left"] < 0 or f["right"] > width + 0.5
            )
            shots.append(
                Shot(
                    width=width,
                    scheme=scheme,
                    path=path,
                    scroll_width=int(facts["scrollWidth"]),
                    findings=tuple(f["text"] for f in facts["findings"]),
                    hidden=hidden,
                    images=len(facts["images"]),
                    broken_images=sum(
                        1 for i in facts["images"] if not i["loaded"] or i["right"] > width + 0.5
                    ),
                    missing_alt=sum(1 for i in facts["images"] if not i["alt"].strip()),
                )
            )
    return shots


def format_shots(shots: Sequence[Shot]) -> str:
    head = ("width", "scheme", "overflow", "findings", "hidden", "images", "broken", "no alt")
    lines = ["{:>6} {:<6} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7}  file".format(*head)]
    for s in shots:
        lines.append(
            f"{s.width:>4}px {s.scheme:<6} {s.overflow_px:>7}px {len(s.findings):>9} {len(s.hidden):>7} "
            f"{s.images:>7} {s.broken_images:>7} {s.missing_alt:>7}  {s.path}"
        )
    return "\n".join(lines)
