"""Local stand-ins for LLM providers that speak the real wire protocols.

The LLM code is tested through litellm's real client code path (HTTP, JSON, provider-specific
request and response shapes), so the only stand-in is the provider itself: a small HTTP server on
127.0.0.1 that answers from a script and records every request it received — tests assert what
the prompt contained by reading `requests`. Two dialects:

- `OpenAiStub`: OpenAI-compatible `POST /v1/chat/completions` (`tool_calls`, `usage`).
- `AnthropicStub`: Anthropic Messages `POST /v1/messages` (`tool_use` content blocks, `usage`).

A script is a queue of `Reply` values per model (or a shared default queue); a reply can be a tool
call, plain text, or an HTTP failure (500, 429 with Retry-After), each optionally delayed to
provoke client timeouts. An empty queue answers HTTP 500 with "no scripted reply", so a test that
triggers an unplanned call fails loudly instead of hanging.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class Text:
    content: str


@dataclass(frozen=True)
class Failure:
    status: int
    message: str = "scripted failure"
    retry_after: float | None = None


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `delay_s` sleeps before answering (longer than the client's timeout
    to provoke a timeout)."""

    body: ToolCall | Text | Failure
    delay_s: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 20


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def text(self) -> str:
        """Everything the client sent, as one string, for "the prompt contains / lacks X" checks."""
        return json.dumps(self.body, ensure_ascii=False)


def as_reply(item: Reply | ToolCall | Text | Failure) -> Reply:
    return item if isinstance(item, Reply) else Reply(item)


@dataclass
class _Script:
    default: deque[Reply] = field(default_factory=deque)
    by_model: dict[str, deque[Reply]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_for(self, model: str) -> Reply | None:
        with self.lock:
            queue = self.by_model.get(model)
            if queue:
                return queue.popleft()
            return self.default.popleft() if self.default else None


class _StubServer:
    """Base: a ThreadingHTTPServer on a free loopback port; subclasses render one dialect."""

    path: ClassVar[str]

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._script = _Script()
        self._stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                body = json.loads(raw or b"{}")
                stub.requests.append(
                    RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                if self.path.rstrip("/") != stub.path:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                reply = stub._script.next_for(str(body.get("model", "")))
                if reply is None:
                    self._send(500, stub.render_error(500, "no scripted reply"))
                    return
                if reply.delay_s and stub._stopping.wait(reply.delay_s):
                    return
                if isinstance(reply.body, Failure):
                    headers = {}
                    if reply.body.retry_after is not None:
                        headers["Retry-After"] = f"{reply.body.retry_after:g}"
                    self._send(
                        reply.body.status, stub.render_error(reply.body.status, reply.body.message), headers
                    )
                    return
                self._send(200, stub.render(reply, body))

            def _send(self, status: int, payload: object, headers: Mapping[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to tell it

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    # ---- lifecycle -----------------------------------------------------------------------------

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- scripting -----------------------------------------------------------------------------

    def enqueue(self, *items: Reply | ToolCall | Text | Failure, model: str | None = None) -> None:
        """Queue replies for one model (the request's `model` field), or for any model."""
        with self._script.lock:
            by_model = self._script.by_model
            queue = self._script.default if model is None else by_model.setdefault(model, deque())
            queue.extend(as_reply(i) for i in items)

    def pending(self) -> int:
        with self._script.lock:
            return len(self._script.default) + sum(len(q) for q in self._script.by_model.values())

    # ---- dialect -------------------------------------------------------------------------------

    def render(self, reply: Reply, request: Mapping[str, Any]) -> object:
        raise NotImplementedError

    def render_error(self, status: int, message: str) -> object:
        raise NotImplementedError


class OpenAiStub(_StubServer):
    """OpenAI-compatible chat completions. Point litellm at it with model `openai/<name>` and
    `api_base=stub.base_url`."""

    path = "/v1/chat/completions"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def render(self, reply: Reply, request: Mapping[str, Any]) -> object:
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        if isinstance(reply.body, ToolCall):
            message["tool_calls"] = [
                {
                    "id": f"call_{uuid.uuid4().hex[:12]}",
                    "type": "function",
                    "function": {"name": reply.body.name, "arguments": json.dumps(reply.body.arguments)},
                }
            ]
            finish = "tool_calls"
        elif isinstance(reply.body, Text):
            message["content"] = reply.body.content
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": request.get("model", "stub"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            },
        }

    def render_error(self, status: int, message: str) -> object:
        kind = "rate_limit_error" if status == 429 else "server_error"
        return {"error": {"message": message, "type": kind, "code": str(status)}}


class AnthropicStub(_StubServer):
    """Anthropic Messages API. Point litellm at it with model `anthropic/<name>` and
    `api_base=stub.base_url` (litellm appends `/v1/messages`)."""

    path = "/v1/messages"

    @property
    def base_url(self) -> str:
        return self.root_url

    def render(self, reply: Reply, request: Mapping[str, Any]) -> object:
        content: list[dict[str, Any]]
        stop = "end_turn"
        if isinstance(reply.body, ToolCall):
            content = [
                {
                    "type": "tool_use",
                    "id": f"toolu_{uuid.uuid4().hex[:12]}",
                    "name": reply.body.name,
                    "input": dict(reply.body.arguments),
                }
            ]
            stop = "tool_use"
        else:
            assert isinstance(reply.body, Text)
            content = [{"type": "text", "text": reply.body.content}]
        return {
            "id": f"msg_{uuid.uuid4().hex[:12]}",
            "type": "message",
            "role": "assistant",
            "model": request.get("model", "stub"),
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": reply.prompt_tokens, "output_tokens": reply.completion_tokens},
        }

    def render_error(self, status: int, message: str) -> object:
        kind = {429: "rate_limit_error", 529: "overloaded_error"}.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}
