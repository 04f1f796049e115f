"""Retrieval's errors, on the project's one hierarchy (`guardrails.errors`).

User errors name what to change (a file, a tenant id, a model); internal errors name the dead
dependency. Every class has a stable `code` that channels and tests rely on.
"""

from __future__ import annotations

from guardrails.errors import ConfigError, InternalError, UserError


class InvalidTenantError(UserError):
    code = "invalid_tenant"


class DocumentError(UserError):
    """A business document cannot be indexed; the message names the file and the reason."""

    code = "bad_document"


class EmptyDocumentError(DocumentError):
    code = "empty_document"


class UnreadableDocumentError(DocumentError):
    code = "unreadable_document"


class DocumentTooLargeError(DocumentError):
    code = "document_too_large"


class EmbeddingMismatchError(ConfigError):
    """The index was built with another embedding model (or dimension) than the configured one.

    Mixing vectors of two models gives nonsense rankings without any error, so we refuse instead
    and tell the user to rebuild.
    """

    code = "embedding_mismatch"


class EmbeddingError(InternalError):
    """The embedding provider failed or answered with something that is not a vector per text."""

    code = "embedding_failed"


class StoreUnavailableError(InternalError):
    """The vector store cannot be reached (a dead Weaviate, a locked file)."""

    code = "store_unavailable"


class StoreWriteError(InternalError):
    """Some objects of a batch were rejected by the store; the message lists the first few."""

    code = "store_write_failed"
