"""Verified question → plan examples: a global seed set and each tenant's own (from feedback).

The seed set (`seed_examples.yaml`) is shared, so it lives in `CATALOG_PARTITION`; a tenant's
verified examples name its own stores and products and go only into its partition. The plan is
kept as the JSON the planner produced; retrieval neither reads nor validates it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from guardrails.errors import ConfigError
from retrieval.protocols import Embedder, VectorStore
from retrieval.records import Record, RecordKind, SyncReport, content_hash
from retrieval.sync import Scope, sync

_KINDS: tuple[RecordKind, ...] = ("example",)
SEED_FILE = Path(__file__).resolve().parents[1] / "seed_examples.yaml"


@dataclass(frozen=True)
class VerifiedExample:
    question: str
    plan_json: str  # the plan as the planner serialises it (e.g. SemanticQuery.model_dump_json())


def load_seed_examples(path: Path = SEED_FILE) -> list[VerifiedExample]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read seed examples {path}: {exc}") from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: expected a list of {{question, plan}} entries")
    out = []
    for entry in raw:
        if not isinstance(entry, dict) or "question" not in entry or "plan" not in entry:
            raise ConfigError(f"{path}: every entry needs 'question' and 'plan': {entry!r}")
        out.append(VerifiedExample(str(entry["question"]), json.dumps(entry["plan"], sort_keys=True)))
    return out


def example_records(partition: str, examples: Sequence[VerifiedExample]) -> list[Record]:
    return [
        Record(
            id=f"example:{content_hash(e.question.casefold().strip())}",
            partition=partition,
            kind="example",
            text=e.question,
            metadata={"plan": e.plan_json},
        )
        for e in examples
    ]


def index_examples(
    store: VectorStore, embedder: Embedder, partition: str, examples: Sequence[VerifiedExample]
) -> SyncReport:
    return sync(store, embedder, Scope(partition, _KINDS), example_records(partition, examples))
