"""Input checks on a question's text: empty, too long, prompt injection, SQL injection, off topic.

Deterministic regexes, no model: the checks must be explainable, fast and identical offline and in
production. Each pattern needs a tell-tale combination of words ("ignore ... instructions", not
just "ignore"), so retail questions like "ignore returns" or "show the system's top stores" pass.
The text is NFKC-normalised and stripped of zero-width characters first, so look-alike letters
and invisible separators do not hide a pattern.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from guardrails.errors import InputRejection

DEFAULT_MAX_CHARS = 2000

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
# C0 and C1 control characters except tab, newline and carriage return, and unpaired surrogates:
# text no user types, that PostgreSQL cannot store (NUL) or UTF-8 cannot encode (surrogates), and
# that terminals and logs interpret (ESC sequences).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_I = re.IGNORECASE

_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "prompt_injection",
        "asks to ignore or override the assistant's instructions",
        re.compile(
            r"\b(ignore|disregard|forget|override|bypass|skip)\b\W+(?:\w+\W+){0,4}?"
            r"(instructions?|rules|guidelines|guardrails|restrictions|directives|prompts?)\b",
            _I,
        ),
    ),
    (
        "prompt_injection",
        "asks to ignore everything said before",
        re.compile(
            r"\b(ignore|disregard|forget)\s+(everything|all|anything)\s+(above|before|previous|prior|else)\b",
            _I,
        ),
    ),
    ("prompt_injection", "mentions the system prompt", re.compile(r"\bsystem[\s_-]*(prompt|message)\b", _I)),
    (
        "prompt_injection",
        "asks to reveal the assistant's prompt or instructions",
        re.compile(
            r"\b(reveal|show|print|repeat|tell|display|output|leak|give|dump|what\s+(?:is|are))\b\W+(?:\w+\W+){0,3}?"
            r"(your(?:\s+(?:initial|hidden|original|secret|full|system|internal))?|the\s+(?:initial|hidden|original"
            r"|secret|full|system|internal))\s+(prompt|instructions|rules|configuration)\b",
            _I,
        ),
    ),
    (
        "prompt_injection",
        "tries to give the assistant a new role",
        re.compile(
            r"\byou\s+are\s+now\b|\bfrom\s+now\s+on\s*,?\s+you\b|\b(act|pretend|behave|roleplay)\s+as\s+"
            r"(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+)?(unrestricted|unfiltered|jailbroken|evil|different|new)\b",
            _I,
        ),
    ),
    (
        "prompt_injection",
        "asks for a jailbreak mode",
        re.compile(r"\b(developer|dev|god|admin|debug|jailbreak|unrestricted)\s+mode\b|\bjailbr(ea|o)k", _I),
    ),
    ("prompt_injection", "DAN-style jailbreak", re.compile(r"\bDAN\b|\bdo\s+anything\s+now\b")),
    (
        "cross_tenant",
        "asks for another tenant's data",
        re.compile(
            r"\b(other|another|all|every|different|each)\s+(tenants?|tenant's)\b|\btenant[\s_]?id\b", _I
        ),
    ),
    (
        "sql_injection",
        "contains SQL that modifies data or stacks statements",
        re.compile(
            r";\s*(drop|delete|insert|update|alter|create|truncate|attach|copy|grant|pragma|install|load|set)\b"
            r"|\b(drop|truncate|alter)\s+(table|schema|database|view)\b|\bdelete\s+from\b|\binsert\s+into\b",
            _I,
        ),
    ),
    (
        "sql_injection",
        "contains a classic SQL injection payload",
        re.compile(
            r"'\s*or\s+'?\d+'?\s*=\s*'?\d+|\bor\s+1\s*=\s*1\b|\bunion\s+(all\s+)?select\b|/\*.*?\*/"
            r"|\b(information_schema|pg_catalog|sqlite_master|xp_cmdshell|read_csv|read_parquet|getenv)\b",
            _I,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class TextFinding:
    """One reason a question is refused: the check that fired, why, and the text that fired it."""

    check: str
    reason: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class QuestionVerdict:
    """The outcome of `check_question`: allowed when there are no findings."""

    findings: tuple[TextFinding, ...]

    @property
    def allowed(self) -> bool:
        return not self.findings

    @property
    def reason(self) -> str | None:
        return self.findings[0].reason if self.findings else None


def control_character(text: str) -> str | None:
    """The first control character (or unpaired surrogate) in `text` as `U+XXXX`, else None."""
    match = _CONTROL.search(text)
    return None if match is None else f"U+{ord(match.group(0)):04X}"


def printable(text: str) -> str:
    """`text` with each control character replaced by U+FFFD: what a refused question is recorded
    as (an audit log and a conversation must hold every attempt, and PostgreSQL holds no NUL)."""
    return _CONTROL.sub("\ufffd", text)


def normalise(text: str) -> str:
    """NFKC plus zero-width removal: what the patterns are matched against."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


def check_question(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> QuestionVerdict:
    """Every finding on `text`, in pattern order; an empty tuple means the question may go on.

    A control character refuses the question outright: nothing else is checked or run."""
    bad = control_character(text)
    if bad is not None:
        reason = f"the question contains a control character ({bad})"
        return QuestionVerdict((TextFinding("control_characters", reason, bad),))
    clean = normalise(text).strip()
    if not clean:
        return QuestionVerdict((TextFinding("empty", "the question is empty", ""),))
    if len(clean) > max_chars:
        reason = f"the question is {len(clean)} characters long; the limit is {max_chars}"
        return QuestionVerdict((TextFinding("too_long", reason, clean[:40]),))
    findings: list[TextFinding] = []
    for check, reason, pattern in _PATTERNS:
        match = pattern.search(clean)
        if match is not None:
            findings.append(TextFinding(check, reason, match.group(0)[:80]))
    return QuestionVerdict(tuple(findings))


# Subjects a retailer's data and documents never answer. Used before a document answer (a store
# guide that names a city is no weather report), not on every question: "did the weather hurt
# sales?" is a data question the planner must answer or say what data is missing for.
_OFF_TOPIC = re.compile(
    r"\b(?:weather|forecast|temperatures?|raining|rainy|rainfall|snowing|snowfall|sunny|"
    r"(?:will|does|did)\s+it\s+(?:rain|snow)|(?:how\s+much|amount\s+of)\s+(?:rain|snow)|"
    r"wetter|wettervorhersage|regnet|schneit|(?:wie\s+viel|viel)\s+(?:regen|schnee)|schnee\s+liegt|"
    r"temperatur(?:en)?|jokes?|witz(?:e)?|poems?|gedicht|"
    r"songs?|lied|recipes?|rezept|horoscope|horoskop|lottery|lotto|bitcoin|crypto|football|fußball|"
    r"fussball|soccer|capital\s+of|hauptstadt|president|präsident|prime\s+minister|bundeskanzler|"
    r"mayor|bürgermeister|buergermeister|population|inhabitants|einwohner|translate|übersetze)\b",
    _I,
)


def off_topic_finding(text: str) -> TextFinding | None:
    """A finding when the question is about a subject outside the business (weather, jokes,
    politics, …), else None. The engine asks it before answering from documents."""
    match = _OFF_TOPIC.search(normalise(text))
    if match is None:
        return None
    return TextFinding("off_topic", "asks about a subject outside the business", match.group(0)[:80])


def ensure_question_allowed(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The normalised question, or `InputRejection` naming the first check that refused it."""
    verdict = check_question(text, max_chars)
    if not verdict.allowed:
        first = verdict.findings[0]
        raise InputRejection(first.check, first.reason)
    return normalise(text).strip()
