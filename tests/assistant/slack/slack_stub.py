"""A local stand-in for Slack's Web API (and response_url hooks) that records every call.

It speaks the real protocol the SDK uses: form or JSON bodies to POST /api/<method>, `ok`/`error`
JSON answers, HTTP 429 with Retry-After for `ratelimited`, and the two-step external file upload
(files.getUploadURLExternal → POST bytes to the upload URL → files.completeUploadExternal).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    method: str  # Web API method, "upload" or "response"
    params: dict[str, Any]
    token: str
    raw: bytes = b""


@dataclass
class SlackStub:
    calls: list[Call] = field(default_factory=list)
    failures: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (method, channel) -> errors
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                stub._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, method: str, channel: str, *errors: str) -> None:
        """The next calls of `method` for `channel` answer these errors (other channels are unaffected,
        so tests running side by side on one stub do not steal each other's failures)."""
        with self.lock:
            self.failures.setdefault((method, channel), []).extend(errors)

    def of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[SlackStub], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            time.sleep(0.05)

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("content-length") or 0))
        path, _, query = h.path.partition("?")
        token = (h.headers.get("authorization") or "").removeprefix("Bearer ").strip()
        ctype = h.headers.get("content-type") or ""
        if path.startswith("/upload/"):
            self._record(Call("upload", {"file": path.rsplit("/", 1)[1]}, token, raw))
            return self._send(h, 200, b"OK", "text/plain")
        params: dict[str, Any]
        if "json" in ctype:
            params = json.loads(raw or b"{}")
        else:
            params = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        params.update({k: v[0] for k, v in parse_qs(query).items()})  # the SDK sends some as a query
        if path.startswith("/response/"):
            params["_path"] = path
            self._record(Call("response", params, token, raw))
            return self._send(h, 200, b"ok", "text/plain")
        method = path.removeprefix("/api/")
        if not token and "token" in params:
            token = str(params["token"])
        self._record(Call(method, params, token, raw))
        with self.lock:
            queued = self.failures.get((method, str(params.get("channel", "")))) or []
            error = queued.pop(0) if queued else None
        if error == "ratelimited":
            body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
            return self._send(h, 429, body, "application/json", {"Retry-After": "1"})
        if error is not None:
            return self._send(h, 200, json.dumps({"ok": False, "error": error}).encode(), "application/json")
        return self._send(
            h, 200, json.dumps(self._answer(method, params, token)).encode(), "application/json"
        )

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        team = token.removeprefix("xoxb-") or "T0"
        if method == "auth.test":
            return {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": "BBOT", "team": team, "url": ""}
        if method == "oauth.v2.access":
            code_team = str(params.get("code", "T0")).split("-")[0]
            return {
                "ok": True,
                "access_token": f"xoxb-{code_team}",
                "token_type": "bot",
                "scope": "chat:write,commands",
                "bot_user_id": "UBOT",
                "app_id": "A1",
                "team": {"id": code_team, "name": f"Team {code_team}"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "UADMIN"},
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(params.get("files") or "[]")
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
        return {"ok": True}

    def _record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        h.send_response(status)
        h.send_header("content-type", ctype)
        h.send_header("content-length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)


def blocks_of(call: Call) -> list[dict[str, Any]]:
    """Blocks as sent: a JSON list in a JSON body, or a JSON string in a form body."""
    raw = call.params.get("blocks") or []
    return list(json.loads(raw) if isinstance(raw, str) else raw)
