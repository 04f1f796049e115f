"""The ways in: the HTTP API, Slack, email digests, the CLI and the chat widget.

Channels are thin: they turn the engine's event stream into HTTP/SSE, Slack messages, emails or
terminal output. No channel imports another; `server` (the one web process) and the CLI are the
composition roots that put several of them together (ARCHITECTURE.md).
"""
