"""HTML pages the web process serves (the `/ask` landing page, `/demo`, unsubscribe pages): Jinja2
templates kept beside each channel, every value autoescaped, an undefined name an error."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined


class Pages:
    def __init__(self, directory: Path) -> None:
        self._env = Environment(
            loader=FileSystemLoader(directory), autoescape=True, undefined=StrictUndefined, auto_reload=False
        )

    def render(self, name: str, **context: Any) -> str:
        return self._env.get_template(name).render(**context)

    def response(
        self, name: str, *, headers: Mapping[str, str] | None = None, **context: Any
    ) -> HTMLResponse:
        return HTMLResponse(self.render(name, **context), headers=dict(headers or {}))
