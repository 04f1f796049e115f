"""The embeddable chat widget: its static asset (widget.js) and the demo host page's template.

The assets are plain files so that what the browser runs is exactly what is committed: no bundler,
no third-party code. `assistant.channels.widget.routes` serves them with cache-busting digests.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
