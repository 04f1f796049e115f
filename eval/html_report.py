"""The self-contained HTML report of a run: one file, no scripts, no external assets.

Built from the run's JSON (so a saved run renders the same later): per-suite scores, every miss
and harness error with its question, expected vs actual SQL and rows, a latency histogram as
inline SVG, and LLM token/cost totals. Everything from the run is escaped — questions and answers
of a red-team suite are hostile text by design.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;
vertical-align:top}th{background:#f4f4f4}.pass{color:#17692f}.fail{color:#a4161a}pre{background:#f7f7f7;
padding:.4rem;white-space:pre-wrap;margin:0;font-size:12px}details{margin:.4rem 0}.miss{border-left:4px solid
#a4161a;padding-left:.6rem;margin:.8rem 0}
"""


def histogram_svg(values: list[float], *, bins: int = 20, width: int = 520, height: int = 140) -> str:
    """Latency histogram on a log-spaced axis (ms): cached answers and slow ones on one chart."""
    if not values:
        return "<p>no latencies</p>"
    lo, hi = max(min(values), 0.1), max(max(values), 0.2)
    if hi <= lo:
        hi = lo * 2
    edges = [lo * (hi / lo) ** (i / bins) for i in range(bins + 1)]
    counts = [0] * bins
    for v in values:
        i = min(bins - 1, max(0, int(bins * math.log(max(v, lo) / lo) / math.log(hi / lo))))
        counts[i] += 1
    top = max(counts)
    bar_w = (width - 40) / bins
    bars = []
    for i, c in enumerate(counts):
        h = (height - 30) * c / top
        x = 30 + i * bar_w
        bars.append(
            f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
            f'fill="#3b6ea5"><title>{edges[i]:.0f}–{edges[i + 1]:.0f} ms: {c}</title></rect>'
        )
    labels = (
        f'<text x="30" y="{height - 4}" font-size="10">{lo:.0f} ms</text>'
        f'<text x="{width - 60}" y="{height - 4}" font-size="10">{hi:.0f} ms</text>'
        f'<text x="2" y="12" font-size="10">{top}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="latency histogram">{"".join(bars)}{labels}</svg>'
    )


def _rows_table(columns: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return "<i>no rows</i>"
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns) if columns else ""
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table>{'<tr>' + head + '</tr>' if head else ''}{body}</table>"


def _case(c: dict[str, Any]) -> str:
    turns = " → ".join(escape(t) for t in c.get("turns") or [])
    return (
        f'<div class="miss"><b>{escape(str(c.get("id")))}</b> [{escape(str(c.get("category")))}] '
        f"{escape(str(c.get('tenant', '')))}<br>"
        + (f"<small>after: {turns}</small><br>" if turns else "")
        + f"<q>{escape(str(c.get('question', '')))}</q>"
        f"<p>expected: {escape(str(c.get('expected', '')))}<br>got: {escape(str(c.get('got', '')))}</p>"
        "<details><summary>SQL and rows</summary><table><tr><th>expected</th><th>actual</th></tr><tr>"
        f"<td><pre>{escape(str(c.get('expected_sql') or '—'))}</pre>"
        f"{_rows_table([], c.get('expected_rows') or [])}</td>"
        f"<td><pre>{escape(str(c.get('actual_sql') or '—'))}</pre>"
        f"{_rows_table(c.get('actual_columns') or [], c.get('actual_rows') or [])}</td>"
        "</tr></table></details></div>"
    )


def _score_line(name: str, s: dict[str, Any]) -> str:
    if "error" in s:
        return f"<tr><td>{escape(name)}</td><td colspan=4 class=fail>{escape(str(s['error']))}</td></tr>"
    if name == "retrieval":
        k = s.get("k", 5)
        return (
            f"<tr><td>retrieval ({escape(str(s.get('index')))} index)</td><td>{s.get('cases')} cases</td>"
            f"<td>metrics {s.get(f'metric_recall@{k}', 0):.1%} · dimensions "
            f"{s.get(f'dimension_recall@{k}', 0):.1%} · values {s.get(f'value_recall@{k}', 0):.1%}</td>"
            f"<td>—</td><td>{len(s.get('misses', []))}</td></tr>"
        )
    lat = s.get("latency_ms", {})
    return (
        f"<tr><td>{escape(name)}</td><td>{s.get('passed')}/{s.get('total')}</td>"
        f"<td>{s.get('accuracy', 0):.1%}</td><td>{lat.get('median', 0):.0f} / {lat.get('p95', 0):.0f} ms</td>"
        f"<td>{len(s.get('misses', []))} misses, {len(s.get('errors', []))} errors</td></tr>"
    )


def render_html(run: dict[str, Any]) -> str:
    suites: dict[str, Any] = run.get("suites", {})
    meta = run.get("meta", {})
    usage = run.get("usage", {})
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8><title>Mercurios evaluation</title>",
        f"<style>{_CSS}</style><h1>Mercurios evaluation</h1>",
        f"<p>runner <b>{escape(str(meta.get('runner')))}</b> · started {escape(str(meta.get('started_at')))}"
        f" · {escape(str(meta.get('elapsed_s')))} s · workers {escape(str(meta.get('workers')))}</p>",
        f"<p>LLM usage: {usage.get('prompt_tokens', 0):.0f} prompt + {usage.get('completion_tokens', 0):.0f} "
        f"completion tokens · cost ${usage.get('cost_usd', 0):.4f}</p>",
        "<h2>Scores</h2><table><tr><th>suite</th><th>passed</th><th>score</th><th>median / p95</th>"
        "<th>not passed</th></tr>",
        *(_score_line(n, s) for n, s in suites.items()),
        "</table>",
    ]
    latencies = [v for s in suites.values() for v in s.get("latencies_ms", [])]
    parts.append(f"<h2>Latency (all judged questions)</h2>{histogram_svg(latencies)}")
    for name, s in suites.items():
        cases = [*s.get("errors", []), *s.get("misses", [])]
        if name == "retrieval" or not cases:
            continue
        parts.append(f"<h2>{escape(name)}: {len(cases)} not passed</h2>")
        parts += [_case(c) for c in cases]
    if "retrieval" in suites and suites["retrieval"].get("misses"):
        parts.append("<h2>retrieval misses</h2><ul>")
        parts += [
            f"<li>{escape(m['id'])} {escape(m['kind'])} {escape(m['expected'])}; top: "
            f"{escape(', '.join(m['got']))}</li>"
            for m in suites["retrieval"]["misses"]
        ]
        parts.append("</ul>")
    parts.append("</html>")
    return "\n".join(parts)
