"""Fixtures for the LLM tests: stub providers on loopback, started and stopped per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.assistant.llm.servers import AnthropicStub, OpenAiStub


@pytest.fixture
def openai_stub() -> Iterator[OpenAiStub]:
    with OpenAiStub() as stub:
        yield stub


@pytest.fixture
def anthropic_stub() -> Iterator[AnthropicStub]:
    with AnthropicStub() as stub:
        yield stub
