"""Golden suites as data: YAML files of cases, loaded into typed, validated values.

A suite is data, not code, so that retailers' real phrasings can be added without touching the
harness, and so that a case's expectation (gold SQL, or "this must be a clarification") sits next
to the question it judges. Validation is strict: a typo in a key silently dropping an expectation
would turn a failing case into a passing one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SUITES_DIR = Path(__file__).resolve().parent / "suites"

Expect = Literal["data", "clarification", "refusal"]


class SuiteError(Exception):
    """The suite file itself is wrong (a harness error, never a miss of the assistant)."""


class Case(BaseModel):
    """One golden question and what a correct answer is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    tenant: str
    as_of: dt.date
    turns: tuple[str, ...] = ()  # earlier questions of the same conversation (follow-ups)
    expect: Expect = "data"
    contains: str | None = None  # for clarification/refusal: a substring the message must contain
    gold_sql: str | None = None
    ordered: bool | None = None  # None: ordered iff tagged 'ranking'
    expected_plan: dict[str, Any] | None = None  # partial plan JSON, a secondary exact-match score
    tags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _expectation_is_complete(self) -> Case:
        if self.expect == "data" and not self.gold_sql:
            raise ValueError(f"case {self.id}: a data case needs gold_sql")
        if self.expect != "data" and self.gold_sql:
            raise ValueError(f"case {self.id}: gold_sql given but expect is {self.expect}")
        if self.gold_sql and f"tenant_id = '{self.tenant}'" not in self.gold_sql:
            # a gold that reads other tenants' rows would make a leaking answer look right
            raise ValueError(f"case {self.id}: gold_sql must filter tenant_id = '{self.tenant}'")
        return self

    @property
    def is_ordered(self) -> bool:
        return self.ordered if self.ordered is not None else "ranking" in self.tags

    def matches(self, needle: str) -> bool:
        """`--filter`: a substring of the id or of any tag (case-insensitive)."""
        n = needle.casefold()
        return n in self.id.casefold() or any(n in t.casefold() for t in self.tags)


class Suite(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    cases: tuple[Case, ...]

    def select(self, needle: str | None = None, limit: int | None = None) -> tuple[Case, ...]:
        """Cases in file order (deterministic), filtered, then cut to `limit`."""
        chosen = [c for c in self.cases if needle is None or c.matches(needle)]
        return tuple(chosen[:limit] if limit is not None else chosen)


def suite_path(name_or_path: str) -> Path:
    """'retail' → eval/suites/retail.yaml; anything that is a file is taken as it is."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    candidate = SUITES_DIR / f"{name_or_path}.yaml"
    if not candidate.is_file():
        known = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.yaml")))
        raise SuiteError(f"unknown suite {name_or_path!r} (known: {known})")
    return candidate


def load_suite(name_or_path: str) -> Suite:
    """Load and validate a suite. Top-level `defaults` (tenant, as_of, tags) apply to every case."""
    path = suite_path(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise SuiteError(f"{path}: expected a mapping with a 'cases' list")
    defaults = raw.get("defaults") or {}
    cases: list[Case] = []
    for i, item in enumerate(raw["cases"]):
        if not isinstance(item, dict):
            raise SuiteError(f"{path}: case #{i + 1} is not a mapping")
        merged = {**{k: v for k, v in defaults.items() if k != "tags"}, **item}
        merged["tags"] = (*defaults.get("tags", ()), *item.get("tags", ()))
        try:
            cases.append(Case.model_validate(merged))
        except ValidationError as exc:
            raise SuiteError(f"{path}: case #{i + 1} ({item.get('id', '?')}): {exc}") from exc
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SuiteError(f"{path}: duplicate case ids: {', '.join(duplicates)}")
    return Suite(name=path.stem, cases=tuple(cases))
