"""The HTTP service: FastAPI app factory, routers, auth, SSE streaming of the engine's events.

Channels are thin (DESIGN.md): nothing here plans, compiles or runs SQL; it authenticates, scopes
every call to the credential's tenant, and turns the engine's events into HTTP.
"""
