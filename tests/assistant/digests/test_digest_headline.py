"""The digest's headline block equals the semantic layer: `mercurios digest preview` prints the
week's net sales, orders, average basket, gross margin and return rate — each against the previous
week and the same ISO week last year — and a row per store, and every figure is what
`mercurios sl query` returns for those dates, formatted in the tenant's locale and currency."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from assistant.channels.cli.main import app
from assistant.core.answering.formatting import format_change_pct, format_value
from assistant.core.insights.headline import last_year_span
from assistant.core.insights.model import Period
from assistant.runtime.settings import get_settings
from tests.demo import DemoWarehouse

NORDWIND = "nordwind-fashion"
WEEK = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))  # the last full week before 2026-10-31
PREVIOUS = (dt.date(2026, 10, 12), dt.date(2026, 10, 18))
ISO_WEEK_43_2025 = (dt.date(2025, 10, 20), dt.date(2025, 10, 26))
METRICS = ("net_sales", "orders", "average_order_value", "gross_margin_pct", "return_rate")
LABELS = {
    "net_sales": ("Net sales", "currency"),
    "orders": ("Orders", "integer"),
    "average_order_value": ("Average basket", "currency"),
    "gross_margin_pct": ("Gross margin", "percent"),
    "return_rate": ("Return rate", "percent"),
}


def invoke(demo: DemoWarehouse, data_dir: Path, *args: str) -> Result:
    env = {
        "MERCURIOS_DATA_DIR": str(data_dir),
        "MERCURIOS_DUCKDB_PATH": str(demo.path),
        "DBT_TARGET_PATH": str(demo.dbt_target_path),
        "MERCURIOS_TODAY": "2026-10-31",
    }
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def sl_rows(demo: DemoWarehouse, data_dir: Path, span: tuple[dt.date, dt.date], *extra: str) -> list[Any]:
    out = invoke(
        demo, data_dir, "sl", "query", "--tenant", NORDWIND, "--metrics", ",".join(METRICS),
        "--start", span[0].isoformat(), "--end", span[1].isoformat(), "--json", *extra,
    )  # fmt: skip
    body = json.loads(out.output)
    names = [c["name"] for c in body["columns"]]
    return [dict(zip(names, row, strict=True)) for row in body["rows"]]


BY_STORE = ("--group-by", "store__store_name")


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def fmt(value: float, kind: str) -> str:
    rounded = round(value) if kind == "integer" else round(value, 2) if kind == "currency" else value
    return format_value(rounded, kind, locale="de-DE", currency="EUR")


def change(now: float, base: float, kind: str) -> str:
    if kind == "percent":  # rates move in percentage points
        points = f"{round((now - base) * 100, 1):+.1f}".replace(".", ",")
        return f"{points}\u00a0pp"
    return format_change_pct(round((now - base) / base, 3), locale="de-DE")


def test_preview_headline_equals_the_semantic_layer(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    preview = invoke(
        demo_warehouse, tmp_path, "digest", "preview", "--tenant", NORDWIND, "--as-of", "2026-10-31",
        "--out", str(tmp_path / "digest.html"),
    ).output  # fmt: skip
    [now] = sl_rows(demo_warehouse, tmp_path, WEEK)
    [before] = sl_rows(demo_warehouse, tmp_path, PREVIOUS)
    [then] = sl_rows(demo_warehouse, tmp_path, ISO_WEEK_43_2025)
    lines = preview.splitlines()
    assert lines[0] == "At a glance: 19.10.2026 – 25.10.2026", preview
    for metric in METRICS:
        label, kind = LABELS[metric]
        expected = (
            f"{fmt(now[metric], kind)}  ({change(now[metric], before[metric], kind)} vs prev. week, "
            f"{change(now[metric], then[metric], kind)} vs W43 2025)"
        )
        [line] = [x for x in lines if x.startswith(f"  {label} ")]
        assert line.strip().removeprefix(label).strip() == expected, (metric, line, expected)
    assert "previous week (12.10.2026 – 18.10.2026); ISO week 43 of 2025 (20.10.2025 – 26.10.2025)" in preview

    # the store table: every store's net sales and both changes, from the same kind of query
    def stores(span: tuple[dt.date, dt.date]) -> dict[str, Any]:
        return {r["store__store_name"]: r for r in sl_rows(demo_warehouse, tmp_path, span, *BY_STORE)}

    by_store, before_store, then_store = stores(WEEK), stores(PREVIOUS), stores(ISO_WEEK_43_2025)
    store_lines = {x.strip().split("  ")[0]: plain(x) for x in lines if x.startswith("    Nordwind ")}
    assert set(store_lines) == set(by_store) | set(before_store)
    for store, row in by_store.items():
        text = store_lines[store]
        assert plain(fmt(row["net_sales"], "currency")) in text
        assert (
            plain(change(row["net_sales"], before_store[store]["net_sales"], "currency")) + " vs prev. week"
            in text
        )
        if store in then_store:
            assert (
                plain(change(row["net_sales"], then_store[store]["net_sales"], "currency")) + " vs W43 2025"
                in text
            )
    # the email carries the same block
    txt = (tmp_path / "digest.txt").read_text()
    page = html.unescape((tmp_path / "digest.html").read_text())  # the e-mail writes &nbsp; as an entity
    assert all(line in txt for line in lines[: len(METRICS) + 1])
    assert fmt(now["net_sales"], "currency") in page and "W43 2025" in page


def test_preview_shows_findings_of_at_least_three_kinds_ranked_by_money_at_stake(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    out = tmp_path / "digest.html"
    invoke(demo_warehouse, tmp_path, "digest", "preview", "--tenant", NORDWIND, "--as-of", "2026-10-31",
           "--out", str(out))  # fmt: skip
    text = out.with_suffix(".txt").read_text()
    cards = re.findall(r"^\[(HIGH|MEDIUM|LOW|INFO)\] (.+)$", text, flags=re.M)
    kinds = [kind for _, kind in cards]
    assert len(set(kinds)) >= 3, kinds
    assert kinds.count("Stock risk") <= 3
    stakes = [
        float(m.replace(".", "")) for m in re.findall(r"^≈ ([\d.]+)\u00a0€ at stake \(", text, flags=re.M)
    ]
    assert len(stakes) >= 2 and stakes == sorted(stakes, reverse=True), stakes
    assert kinds[-1] == "Forecast"
    # a detector that found nothing says so, explicitly
    anomalies = "Anomaly" in kinds or "more unusual series" in text
    assert (
        anomalies
        or "Nothing unusual: every store and every category sold within its expected daily range." in text
    )


@pytest.mark.parametrize(
    ("start", "expected_start", "label"),
    [
        (dt.date(2026, 10, 19), dt.date(2025, 10, 20), "ISO week 43 of 2025"),
        (dt.date(2026, 12, 28), dt.date(2025, 12, 22), "ISO week 52 of 2025"),  # 2026 has a week 53
        (dt.date(2027, 1, 4), dt.date(2025, 12, 29), "ISO week 1 of 2026"),  # ISO week 1, not 4 January
        (dt.date(2025, 12, 29), dt.date(2024, 12, 30), "ISO week 1 of 2025"),  # week 1 of 2026 → 2025's
    ],
)
def test_last_year_is_the_same_iso_week(start: dt.date, expected_start: dt.date, label: str) -> None:
    end = start + dt.timedelta(days=6)
    week = Period(
        start=start,
        end=end,
        previous_start=start - dt.timedelta(7),
        previous_end=end - dt.timedelta(7),
        label="w",
    )
    span = last_year_span(week, "week")
    assert (span.start, span.end, span.label) == (
        expected_start,
        expected_start + dt.timedelta(days=6),
        label,
    )
    assert span.start.weekday() == 0
