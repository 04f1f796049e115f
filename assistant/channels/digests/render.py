"""A digest email from an insight report: responsive HTML, a plain-text alternative, inline PNGs.

Rendering is separate from sending so that `mercurios digest preview` and the tests see exactly the
email a recipient would get. Every headline comes from the report (itself from guarded semantic
queries of one tenant); the template adds only words, links and pictures.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, select_autoescape

from assistant.core.insights.headline_view import headline_view
from assistant.core.insights.model import Insight, InsightReport
from assistant.core.insights.selection import DigestPlan, impact_text, plan_digest
from assistant.runtime.ask_links import AskLink
from assistant.runtime.charts_png import render_png
from assistant.runtime.digests.layout import KIND_LABELS, MAX_CHARTS, chart_alt, group_item

TEMPLATES = Path(__file__).parent / "templates"
PERIOD_WORDS = {"daily": "day", "weekly": "week", "monthly": "month"}
# Mail clients (Gmail among them) drop or ignore <style>: every rule goes into style attributes;
# only the @media rules (narrow screens, dark mode) stay in a <style> for the clients that read it.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def inline_css(html: str) -> str:
    return str(_INLINER.inline(html))


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html.j2"], default_for_string=False),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class InlineImage:
    cid: str  # without angle brackets
    png: bytes


@dataclass(frozen=True)
class DigestItem:
    insight: Insight
    kind_label: str
    link: str
    cid: str | None
    alt: str
    impact: str  # "≈ 1.234 € at stake", or ""
    basis: str  # how that estimate was made


@dataclass(frozen=True)
class RenderedDigest:
    tenant_id: str
    subject: str
    html: str
    text: str
    images: tuple[InlineImage, ...]
    unsubscribe_url: str


def render_digest(
    report: InsightReport,
    *,
    ask_link: AskLink,
    unsubscribe_url: str,
    cadence_word: str = "weekly",
    charts: bool = True,
    summary: str = "",
) -> RenderedDigest:
    plan: DigestPlan = plan_digest(report)
    images: list[InlineImage] = []
    items = []
    for insight in plan.cards:
        cid = None
        if charts and insight.chart is not None and len(images) < MAX_CHARTS:
            cid = make_msgid(domain="mercurios.local")[1:-1]
            images.append(InlineImage(cid=cid, png=render_png(insight.chart)))
        items.append(
            DigestItem(
                insight=insight,
                kind_label=KIND_LABELS[insight.kind],
                link=ask_link(report.tenant_id, insight.question or insight.headline),
                cid=cid,
                alt=chart_alt(insight),
                impact=impact_text(report, insight),
                basis=insight.impact_basis,
            )
        )
    groups = [group_item(report, g, ask_link) for g in plan.groups]
    period_text = (
        f"{report.period.label}: {report.period.start.isoformat()} to {report.period.end.isoformat()}"
    )
    subject = f"{report.tenant_name}: {cadence_word} insights, {report.period.label}"
    context = {
        "report": report,
        "headline": None if report.headline is None else headline_view(report, report.headline),
        "items": items,
        "groups": groups,
        "quiet": plan.quiet,
        "period_word": PERIOD_WORDS.get(cadence_word, "period"),
        "direction": {-1: "down", 0: "flat", 1: "up"},
        "subject": subject,
        "cadence_word": cadence_word,
        "period_text": period_text,
        "unsubscribe_url": unsubscribe_url,
        "summary": summary,
    }
    return RenderedDigest(
        tenant_id=report.tenant_id,
        subject=subject,
        html=inline_css(_env.get_template("digest.html.j2").render(context)),
        text=_env.get_template("digest.txt.j2").render(context),
        images=tuple(images),
        unsubscribe_url=unsubscribe_url,
    )


def build_message(digest: RenderedDigest, *, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    """multipart/alternative (text, then multipart/related HTML + PNGs by Content-ID), with
    List-Unsubscribe (and one-click, RFC 8058) so mail clients offer their own unsubscribe button."""
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["List-Unsubscribe"] = f"<{digest.unsubscribe_url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Mercurios-Tenant"] = digest.tenant_id
    msg.set_content(digest.text)
    msg.add_alternative(digest.html, subtype="html")
    html_part = msg.get_payload()[1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    for image in digest.images:
        html_part.add_related(image.png, maintype="image", subtype="png", cid=f"<{image.cid}>")
    return msg
