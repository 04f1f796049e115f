"""A Vega-Lite (v5) spec chosen from the result's shape: the same spec feeds the widget,
Slack and email. Time series → line; time × category → a line per category (color = series);
two categories → a heatmap; ranking / breakdown → bar; share → arc (few parts) or bar;
comparison → bars of the % change; several metrics → one chart per metric, stacked (their units
differ), or one line per metric when they share a format; a single value → no chart.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from assistant.core.answering.result_view import CHANGE_PCT, SHARE, ResultView
from assistant.core.answering.two_dimensions import SeriesTable, series_table

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
        {c: _json_value(view.named(c, row[i])) for c, i in zip(columns, idx, strict=True) if i is not None}
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
    table = series_table(view)
    if table is not None:
        return _series_chart(view, table)
    if len(view.metrics) > 1 and not any(c.lower().endswith((CHANGE_PCT, SHARE)) for c in view.columns):
        return _metrics_chart(view)
    return _one_metric_chart(view, view.metrics[0].name)


def _one_metric_chart(view: ResultView, metric: str) -> dict[str, Any] | None:
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


def _series_chart(view: ResultView, table: SeriesTable) -> dict[str, Any]:
    """A line per series over time, or a heatmap of two categories; series in rank order (the
    legend lists the largest first)."""
    metric = table.metric
    ranked = [s.name for s, _ in table.ranked()]
    order = {name: i for i, name in enumerate(ranked)}
    values = [
        {table.x_column: _json_value(x), table.series_column: _json_value(s.name), metric: v}
        for s in sorted(table.series, key=lambda s: order.get(s.name, len(order)))
        for x, v in zip(table.xs, s.values, strict=True)
        if v is not None
    ][:MAX_POINTS]
    series_title = view.labels.get(table.series_column)
    x_title = view.labels.get(table.x_column)
    label = view.labels.get(metric, metric)
    by = f"{(series_title or '').lower().removesuffix(' name')} and {(x_title or '').lower()}"
    base: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": f"{label} by {by}",
        "width": "container",
        "data": {"values": values},
    }
    tooltip = [
        {"field": table.series_column, "title": series_title},
        {"field": table.x_column, "title": x_title, **({"type": "temporal"} if table.temporal else {})},
        {"field": metric, "title": label, **_axis_format(view, metric)},
    ]
    sort = [_json_value(n) for n in ranked]
    if table.temporal:
        return {
            **base,
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": table.x_column, "type": "temporal", "title": x_title},
                "y": {
                    "field": metric,
                    "type": "quantitative",
                    "title": label,
                    "axis": _axis_format(view, metric),
                },
                "color": {
                    "field": table.series_column,
                    "type": "nominal",
                    "title": series_title,
                    "sort": sort,
                },
                "tooltip": tooltip,
            },
        }
    return {
        **base,
        "mark": "rect",
        "encoding": {
            "x": {"field": table.x_column, "type": "nominal", "title": x_title},
            "y": {"field": table.series_column, "type": "nominal", "title": series_title, "sort": sort},
            "color": {
                "field": metric,
                "type": "quantitative",
                "title": label,
                "legend": _axis_format(view, metric),
            },
            "tooltip": tooltip,
        },
    }


def _metrics_chart(view: ResultView) -> dict[str, Any] | None:
    """Several metrics: one line per metric on a shared axis when they share a format (open and
    click rates), else one chart per metric stacked vertically, each with its own axis."""
    names = [m.name for m in view.metrics if view.index(m.name) is not None]
    time_col = view.time_column
    formats = {view.fmt(n) for n in names}
    if time_col is not None and not view.dimension_columns and len(formats) == 1:
        ti = view.index(time_col)
        assert ti is not None
        values = [
            {time_col: _json_value(row[ti]), "metric": view.labels.get(n, n), "value": _json_value(row[i])}
            for n in names
            if (i := view.index(n)) is not None
            for row in view.rows[:MAX_POINTS]
        ]
        return {
            "$schema": VEGA_LITE_SCHEMA,
            "title": " and ".join(view.labels.get(n, n) for n in names),
            "width": "container",
            "mark": {"type": "line", "point": True},
            "data": {"values": values},
            "encoding": {
                "x": {"field": time_col, "type": "temporal", "title": view.labels.get(time_col)},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": None,
                    "axis": _axis_format(view, names[0]),
                },
                "color": {"field": "metric", "type": "nominal", "title": "Metric"},
            },
        }
    charts = [c for n in names[:4] if (c := _one_metric_chart(view, n)) is not None]
    if not charts:
        return None
    if len(charts) == 1:
        return charts[0]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": " and ".join(view.labels.get(n, n) for n in names[:4]),
        "vconcat": [{k: v for k, v in c.items() if k != "$schema"} for c in charts],
    }
