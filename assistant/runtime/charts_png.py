"""Vega-Lite specs to PNG for email (mail clients run no JavaScript), with vl-convert (offline)."""

from __future__ import annotations

import json
from typing import Any

import vl_convert as vlc

from assistant.runtime.digests.errors import DeliveryError


def render_png(spec: dict[str, Any], *, scale: float = 1.5) -> bytes:
    try:
        return bytes(vlc.vegalite_to_png(vl_spec=json.dumps(spec), scale=scale))
    except Exception as exc:  # vl-convert raises plain ValueErrors from Rust
        raise DeliveryError(f"could not render a chart to PNG: {exc}", code="chart_render_failed") from exc
