"""LLM-backed planning and narratives (litellm), used only when an LLM is configured.

The offline planner and the template narrative stay the defaults; these classes plug into the
same seams (`Planner` protocol; narrative text with grounding) and fall back to them when the
model is unreachable or untrustworthy. litellm is imported lazily, on the first call.
"""

from assistant.core.llm.catalog_slice import CatalogSlice, catalog_slice
from assistant.core.llm.client import Completion, LlmClient, Usage
from assistant.core.llm.errors import LlmTimeoutError, LlmUnavailableError
from assistant.core.llm.narrator import LlmNarrator, Narration
from assistant.core.llm.planner import LlmPlanner
from assistant.core.llm.settings import LlmCredentials, LlmEndpoints, LlmSettings

__all__ = [
    "CatalogSlice",
    "Completion",
    "LlmClient",
    "LlmCredentials",
    "LlmEndpoints",
    "LlmNarrator",
    "LlmPlanner",
    "LlmSettings",
    "LlmTimeoutError",
    "LlmUnavailableError",
    "Narration",
    "Usage",
    "catalog_slice",
]
