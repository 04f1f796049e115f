"""The public Python API (`import assistant`): the names DESIGN.md promises, imported on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import assistant


def test_importing_the_package_loads_no_engine() -> None:
    """Every `import assistant.x` runs the package first, so the package itself must stay cheap."""
    code = "import sys, assistant; print(sorted(m for m in sys.modules if m.startswith('assistant')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['assistant']"


def test_the_exported_names_are_the_engines_own_types() -> None:
    from assistant.core.events import AnswerEvent, collect
    from assistant.core.planning.plans import MetricPlan
    from assistant.runtime.services import build_engine

    assert assistant.AnswerEvent is AnswerEvent
    assert assistant.MetricPlan is MetricPlan
    assert assistant.collect is collect
    assert callable(assistant.build_engine) and assistant.build_engine is not build_engine
    assert {"ask", "build_engine", "Event", "Plan", "RequestContext"} <= set(assistant.__all__)
    for name in assistant.__all__:  # every advertised name resolves
        assert getattr(assistant, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Enigne'"):
        _ = assistant.Enigne  # type: ignore[attr-defined]
