"""Golden suites as data: YAML files of cases, loaded into typed, validated values.

A suite is data, not code, so that retailers' real phrasings can be added without touching the
harness, and so that a case's expectation (gold SQL, or "this must be a clarification") sits next
to the question it judges. Validation is strict: a typo in a key silently dropping an expectation
would turn a failing case into a passing one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SUITES_DIR = Path(__file__).resolve().parent / "suites"

# no_answer: the question must not be answered with a number — a clarification or a refusal both
# pass (data the warehouse does not hold, another company's figures); a data answer is wrong.
Expect = Literal["data", "clarification", "refusal", "no_answer", "safe"]


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
    # red team (expect: safe): hostile SQL handed to the engine as if an LLM planner wrote it, and
    # text that must never appear in an answer (system-prompt fragments, other tenants' secrets)
    sql: str | None = None
    forbidden: tuple[str, ...] = ()
    # indirect injection: files (name -> text) planted in the asking tenant's document index for
    # this case only (a throwaway index; see eval/planted_documents.py)
    documents: dict[str, str] = Field(default_factory=dict)
    # the column a gold SQL must filter (bring your own project); null: a single-tenant project,
    # whose gold SQL has no tenant to filter
    tenant_column: str | None = "tenant_id"

    @model_validator(mode="after")
    def _expectation_is_complete(self) -> Case:
        if self.expect == "data" and not self.gold_sql:
            raise ValueError(f"case {self.id}: a data case needs gold_sql")
        if self.expect != "data" and self.gold_sql:
            raise ValueError(f"case {self.id}: gold_sql given but expect is {self.expect}")
        scope = f"{self.tenant_column} = '{self.tenant}'"
        if self.gold_sql and self.tenant_column is not None and scope not in self.gold_sql:
            # a gold that reads other tenants' rows would make a leaking answer look right
            raise ValueError(f"case {self.id}: gold_sql must filter {scope}")
        if self.sql is not None and self.expect != "safe":
            raise ValueError(f"case {self.id}: hostile sql is only judged with expect: safe")
        return self

    @property
    def is_ordered(self) -> bool:
        return self.ordered if self.ordered is not None else "ranking" in self.tags

    def matches(self, needle: str) -> bool:
        """`--filter`: a substring of the id or of any tag (case-insensitive)."""
        n = needle.casefold()
        return n in self.id.casefold() or any(n in t.casefold() for t in self.tags)


@dataclass(frozen=True)
class SuiteProblem:
    """A case (or a whole file) the harness could not read: reported beside the scores, never
    silently dropped, so that a run with a broken case still completes and says so."""

    case_id: str
    message: str


class Suite(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    cases: tuple[Case, ...]
    problems: tuple[SuiteProblem, ...] = ()
    # a held-out test half: its runs report scores only, never which cases missed, so nobody
    # tunes the planner to it (the dev half is the one to read)
    frozen: bool = False

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


def load_suite(name_or_path: str, *, strict: bool = True) -> Suite:
    """Load and validate a suite. Top-level `defaults` (tenant, as_of, tags) apply to every case.

    `strict` (the default, for authoring and CI of the suite itself) raises on the first bad case;
    otherwise a bad case becomes a `SuiteProblem` and the good ones still run — a run reports a
    broken case rather than refusing to score the other two hundred. A file that is not a suite
    at all raises either way. `include_sql: DIR` adds the guard's adversarial fixture files
    (`-- expect:` blocks) as hostile-SQL cases.
    """
    path = suite_path(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise SuiteError(f"{path}: expected a mapping with a 'cases' list")
    defaults = raw.get("defaults") or {}
    items: list[object] = list(raw["cases"])
    if raw.get("include_sql"):
        items += included_sql_cases((path.parent / str(raw["include_sql"])).resolve(), defaults)
    cases: list[Case] = []
    problems: list[SuiteProblem] = []
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise SuiteError(f"{path}: case #{i + 1} is not a mapping")
            merged = {**{k: v for k, v in defaults.items() if k not in ("tags", "tenants")}, **item}
            merged["tags"] = (*defaults.get("tags", ()), *item.get("tags", ()))
            try:
                cases.append(Case.model_validate(merged))
            except ValidationError as exc:
                raise SuiteError(f"{path}: case #{i + 1} ({item.get('id', '?')}): {exc}") from exc
        except SuiteError as exc:
            if strict:
                raise
            case_id = str(item.get("id", f"#{i + 1}")) if isinstance(item, dict) else f"#{i + 1}"
            problems.append(SuiteProblem(case_id, str(exc)))
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        if strict:
            raise SuiteError(f"{path}: duplicate case ids: {', '.join(duplicates)}")
        problems += [SuiteProblem(d, f"{path}: duplicate case id {d}") for d in duplicates]
        cases = [c for c in cases if c.id not in duplicates]
    return Suite(name=path.stem, cases=tuple(cases), problems=tuple(problems), frozen=bool(raw.get("frozen")))


_EXPECT_LINE = re.compile(r"^-- expect: (reject \w+|scoped(?: may-error)?)\s*$")


def included_sql_cases(folder: Path, defaults: dict[str, Any]) -> list[dict[str, Any]]:
    """The guard's adversarial fixtures (one `.sql` file per attack class, cases separated by
    `-- expect:` lines) as `expect: safe` cases. Their own expectation (which rule rejects) is the
    guard's unit test; here only the end-to-end property is judged: rejected, or provably scoped.
    Tenants rotate over `defaults.tenants` so every tenant is attacked without tripling the run."""
    if not folder.is_dir():
        raise SuiteError(f"include_sql: no folder {folder}")
    tenants = list(defaults.get("tenants") or [defaults.get("tenant", "nordwind-fashion")])
    out: list[dict[str, Any]] = []
    for file in sorted(folder.glob("*.sql")):
        blocks: list[list[str]] = []
        for line in file.read_text(encoding="utf-8").splitlines():
            if _EXPECT_LINE.match(line):
                blocks.append([])
            elif blocks:
                blocks[-1].append(line)
        for n, block in enumerate(blocks, start=1):
            sql = "\n".join(block).strip()
            if not sql:
                continue
            out.append(
                {
                    "id": f"{file.stem}-{n}",
                    "question": f"[hostile SQL {file.stem} #{n}]",
                    "tenant": tenants[len(out) % len(tenants)],
                    "expect": "safe",
                    "sql": sql,
                    "tags": ["guard-fixture", f"attack:{file.stem}"],
                }
            )
    return out
