"""`mercurios digest preview --tenant T --as-of D --out digest.html`: render a digest without sending.

Inline charts are written beside the HTML (their cid: links rewritten to the files) so the preview
opens in any browser. Subscriptions and `run-due` come with the service's storage (issue 10, part 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.insights_cmd import load_report
from assistant.digests.render import render_digest
from assistant.settings import get_settings

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _digest() -> None:
    """Insight digests by email."""


@app.command("preview")
def preview(
    tenant: Annotated[str, typer.Option("--tenant")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML.")] = Path("digest.html"),
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    cadence: Annotated[str, typer.Option("--cadence", help="day | week | month")] = "week",
) -> None:
    """Render the digest of one tenant to an HTML file (and a .txt beside it); send nothing."""
    settings = get_settings()
    report = load_report(tenant, as_of, cadence)
    digest = render_digest(
        report,
        base_url=settings.public_base_url,
        unsubscribe_url=f"{settings.public_base_url.rstrip('/')}/v1/digests/unsubscribe?preview=1",
        cadence_word={"day": "daily", "week": "weekly", "month": "monthly"}[cadence],
    )
    html = digest.html
    for i, image in enumerate(digest.images):
        png = out.with_name(f"{out.stem}-chart{i + 1}.png")
        png.write_bytes(image.png)
        html = html.replace(f"cid:{image.cid}", png.name)
    out.write_text(html, encoding="utf-8")
    out.with_suffix(".txt").write_text(digest.text, encoding="utf-8")
    typer.echo(f"wrote {out} ({len(report.insights)} insights, {len(digest.images)} charts)")
