"""The embeddable chat widget: static assets (widget.js, the demo host page) served by the API.

The assets are plain files so that what the browser runs is exactly what is committed: no bundler,
no third-party code. `assistant.channels.widget.routes` serves them with cache-busting digests.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
