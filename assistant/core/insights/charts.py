"""Vega-Lite (v5) specs of the insights: the same spec feeds the widget and, rendered to PNG, the
email digest. Small and self-contained (inline data), so a renderer needs nothing else."""

from __future__ import annotations

from typing import Any

from assistant.core.answering.charts import VEGA_LITE_SCHEMA

SALES_COLOUR = "#2e86c1"
ROSE_COLOUR = "#2e86c1"
FELL_COLOUR = "#c0392b"
BAND_COLOUR = "#9ab8d6"
EXPECTED_COLOUR = "#5f6b7a"
ACTUAL_COLOUR = "#1d4f91"
STOCK_COLOUR = "#c0392b"


def _base(title: str) -> dict[str, Any]:
    return {"$schema": VEGA_LITE_SCHEMA, "title": title, "width": 480, "height": 200}


def bar_chart(title: str, rows: list[tuple[str, float]], *, value_title: str) -> dict[str, Any]:
    """Horizontal bars, negative values in red: drivers of a change, top movers."""
    return {
        **_base(title),
        "data": {"values": [{"name": n, "value": round(v, 2)} for n, v in rows]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "value", "type": "quantitative", "title": value_title},
            "color": {
                "condition": {"test": "datum.value < 0", "value": "#c0392b"},
                "value": "#2e86c1",
            },
        },
    }


def diverging_bar(title: str, rows: list[tuple[str, str, float]], *, value_title: str) -> dict[str, Any]:
    """Contributions to a change: (driver, group, change) as bars left (fell) and right (rose) of
    zero, one panel per driver (store, category, channel), largest contribution on top."""
    values = [{"driver": d, "name": n, "value": round(v, 2)} for d, n, v in rows]
    drivers = list(dict.fromkeys(d for d, _, _ in rows))
    bar = {
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "name",
                "type": "nominal",
                "sort": {"field": "value", "op": "sum", "order": "descending"},
                "title": None,
            },
            "x": {"field": "value", "type": "quantitative", "title": value_title},
            "color": {"condition": {"test": "datum.value < 0", "value": FELL_COLOUR}, "value": ROSE_COLOUR},
        },
    }
    zero = {"mark": {"type": "rule", "color": "#5f6b7a"}, "encoding": {"x": {"datum": 0}}}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "data": {"values": values},
        "facet": {"row": {"field": "driver", "type": "nominal", "title": None, "sort": drivers}},
        "spec": {"width": 420, "layer": [bar, zero]},
        "resolve": {"scale": {"y": "independent"}},
    }


def actual_vs_expected(title: str, rows: list[tuple[str, float, float, float, float]]) -> dict[str, Any]:
    """A daily series (day, actual, expected, low, high): the expected range as a band, the
    expectation dashed inside it, the actual values as a line with points — an anomaly is where
    the line leaves the band."""
    values = [
        {"day": d, "actual": round(a, 2), "expected": round(e, 2), "low": round(lo, 2), "high": round(hi, 2)}
        for d, a, e, lo, hi in rows
    ]
    x = {"field": "day", "type": "temporal", "title": None}
    return {
        **_base(title),
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.3, "color": BAND_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative", "title": None},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "strokeDash": [4, 3], "color": EXPECTED_COLOUR},
                "encoding": {"x": x, "y": {"field": "expected", "type": "quantitative"}},
            },
            {
                "mark": {"type": "line", "point": True, "color": ACTUAL_COLOUR},
                "encoding": {"x": x, "y": {"field": "actual", "type": "quantitative"}},
            },
        ],
    }


def forecast_chart(
    title: str, history: list[tuple[str, float]], forecast: list[tuple[str, float, float, float]]
) -> dict[str, Any]:
    """Weekly history, the forecast line and its interval band."""
    hist = [{"week": w, "value": round(v, 2), "series": "actual"} for w, v in history]
    fc = [
        {"week": w, "value": round(m, 2), "low": round(lo, 2), "high": round(hi, 2), "series": "forecast"}
        for w, m, lo, hi in forecast
    ]
    return {
        **_base(title),
        "data": {"values": hist + fc},
        "layer": [
            {
                "transform": [{"filter": "datum.series == 'forecast'"}],
                "mark": {"type": "area", "opacity": 0.25},
                "encoding": {
                    "x": {"field": "week", "type": "temporal", "title": None},
                    "y": {"field": "low", "type": "quantitative", "title": None},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {"field": "week", "type": "temporal", "title": None},
                    "y": {"field": "value", "type": "quantitative", "title": None},
                    "color": {"field": "series", "type": "nominal", "title": None},
                },
            },
        ],
    }


def stock_chart(
    title: str, daily: list[tuple[str, float]], on_hand: list[tuple[str, float]]
) -> dict[str, Any]:
    """Units sold per day (bars) under the units on hand at each weekly snapshot (a stepped line,
    its own axis): a stock-out is the line reaching zero and the bars stopping with it."""
    values = [{"day": d, "series": "units sold per day", "value": round(v, 2)} for d, v in daily] + [
        {"day": d, "series": "units on hand", "value": round(v, 2)} for d, v in on_hand
    ]
    x = {"field": "day", "type": "temporal", "title": None}
    return {
        **_base(title),
        "data": {"values": values},
        "layer": [
            {
                "transform": [{"filter": "datum.series == 'units sold per day'"}],
                "mark": {"type": "bar", "color": SALES_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": "units sold per day"},
                },
            },
            {
                "transform": [{"filter": "datum.series == 'units on hand'"}],
                "mark": {"type": "line", "interpolate": "step-after", "point": True, "color": STOCK_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": "units on hand"},
                },
            },
        ],
        "resolve": {"scale": {"y": "independent"}},
    }


def weekly_lines(
    title: str,
    rows: list[tuple[str, str, float]],
    *,
    value_title: str,
    value_format: str = "",
    reference: float | None = None,
) -> dict[str, Any]:
    """Weekly values (week, series, value) as lines with points, one colour per series, and an
    optional dashed reference level (a price index's usual level): a price or discount move is the
    last week leaving the line the weeks before drew."""
    values = [{"week": w, "series": s, "value": round(v, 4)} for w, s, v in rows]
    y: dict[str, Any] = {"field": "value", "type": "quantitative", "title": value_title}
    if value_format:
        y["axis"] = {"format": value_format}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {
                    "field": "week",
                    "type": "temporal",
                    "title": None,
                    "axis": {"format": "%d %b", "tickCount": "week"},
                },
                "y": y,
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "sort": list(dict.fromkeys(s for _, s, _ in rows)),
                    "scale": {"range": [ACTUAL_COLOUR, EXPECTED_COLOUR]},
                },
            },
        }
    ]
    if reference is not None:
        layers.insert(
            0,
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": EXPECTED_COLOUR},
                "encoding": {"y": {"datum": reference}},
            },
        )
    return {**_base(title), "data": {"values": values}, "layer": layers}
