"""A Vega-Lite (v5) spec chosen from the result's shape: the same spec feeds the widget,
Slack and email. Time series → line; ranking / breakdown → bar; share → arc (few parts) or bar;
comparison → bars of the % change; a single value → no chart.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from assistant.answering.result_view import CHANGE_PCT, SHARE, ResultView

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_POINTS = 500


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _data(view: ResultView, columns: list[str]) -> list[dict[str, object]]:
    idx = [view.index(c) for c in columns]
    return [
        {c: _json_value(row[i]) for c, i in zip(columns, idx, strict=True) if i is not None}
        for row in view.rows[:MAX_POINTS]
    ]


def _axis_format(view: ResultView, column: str) -> dict[str, Any]:
    fmt = view.fmt(column)
    if fmt == "percent":
        return {"format": ".1%"}
    if fmt == "currency":
        return {"format": ",.0f"}
    return {}


def chart_spec(view: ResultView) -> dict[str, Any] | None:
    if len(view.rows) < 2 or not view.metrics:
        return None
    metric = view.metrics[0].name
    dims = view.dimension_columns
    time_col = view.time_column
    title = view.labels.get(metric, metric)
    base: dict[str, Any] = {"$schema": VEGA_LITE_SCHEMA, "title": title, "width": "container"}
    share_col = next((c for c in view.columns if c.lower().endswith(SHARE)), None)
    change_col = next((c for c in view.columns if c.lower() == (metric + CHANGE_PCT).lower()), None)
    if time_col is not None:
        cols = [time_col, metric, *dims[:1]]
        enc: dict[str, Any] = {
            "x": {"field": time_col, "type": "temporal", "title": view.labels.get(time_col)},
            "y": {
                "field": metric,
                "type": "quantitative",
                "title": title,
                "axis": _axis_format(view, metric),
            },
        }
        if dims:
            enc["color"] = {"field": dims[0], "type": "nominal", "title": view.labels.get(dims[0])}
        return {
            **base,
            "mark": {"type": "line", "point": True},
            "data": {"values": _data(view, cols)},
            "encoding": enc,
        }
    if not dims:
        return None
    dim = dims[0]
    if share_col is not None and len(view.rows) <= 6:
        return {
            **base,
            "mark": {"type": "arc", "innerRadius": 50},
            "data": {"values": _data(view, [dim, metric, share_col])},
            "encoding": {
                "theta": {"field": share_col, "type": "quantitative", "title": "Share"},
                "color": {"field": dim, "type": "nominal", "title": view.labels.get(dim)},
                "tooltip": [{"field": dim}, {"field": metric}, {"field": share_col, "format": ".1%"}],
            },
        }
    value_col = change_col or share_col or metric
    return {
        **base,
        "title": view.labels.get(value_col, title),
        "mark": "bar",
        "data": {"values": _data(view, [dim, metric, *([value_col] if value_col != metric else [])])},
        "encoding": {
            "y": {"field": dim, "type": "nominal", "sort": "-x", "title": view.labels.get(dim)},
            "x": {
                "field": value_col,
                "type": "quantitative",
                "title": view.labels.get(value_col),
                "axis": _axis_format(view, value_col),
            },
        },
    }
