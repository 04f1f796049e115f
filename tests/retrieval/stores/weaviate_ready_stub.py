"""A loopback stand-in for Weaviate's readiness endpoint (no Weaviate server runs on this machine).

It answers `GET /v1/.well-known/ready` the way Weaviate does — 200 with an empty body when ready,
503 while starting or shutting down — and 404 on any other path, and records every request so a
test can read what the probe sent (path, headers). `status` can be changed while it runs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

READY_PATH = "/v1/.well-known/ready"


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]


class WeaviateReadyStub:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[SeenRequest] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                stub.requests.append(
                    SeenRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                status = stub.status if self.path == READY_PATH else 404
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        """What an operator puts in MERCURIOS_WEAVIATE_URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
