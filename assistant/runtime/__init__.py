"""Composition: `Settings`, the factories that pick each provider, the services a process holds
(app database, caches, limits, the engine runner, tracing) and the seams channels share.

Channels import runtime and core; runtime imports core, never a channel (ARCHITECTURE.md).
"""
