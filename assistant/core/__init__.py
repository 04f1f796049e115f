"""The engine and everything it needs to turn a question into events: planning (offline and LLM),
answering, narrators, insights, the event types, tenant knowledge and conversation memory.

Core imports nothing of `assistant.runtime` or `assistant.channels` (ARCHITECTURE.md); it sees its
providers only through protocols, and `assistant.runtime` chooses them.
"""
