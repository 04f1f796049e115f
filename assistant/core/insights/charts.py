"""Vega-Lite (v5) specs of the insights: the same spec feeds the widget and, rendered to PNG, the
email digest. Small and self-contained (inline data), so a renderer needs nothing else."""

from __future__ import annotations

from typing import Any

from assistant.core.answering.charts import VEGA_LITE_SCHEMA


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


def actual_vs_expected(title: str, rows: list[tuple[str, float, float]]) -> dict[str, Any]:
    """Daily actual (solid) against the baseline (dashed): where the series left its pattern."""
    values = [{"day": d, "series": "actual", "value": round(a, 2)} for d, a, _ in rows] + [
        {"day": d, "series": "expected", "value": round(e, 2)} for d, _, e in rows
    ]
    return {
        **_base(title),
        "data": {"values": values},
        "mark": {"type": "line", "point": False},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "value", "type": "quantitative", "title": None},
            "color": {"field": "series", "type": "nominal", "title": None},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None},
        },
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
