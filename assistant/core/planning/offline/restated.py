"""Words a bracket says again: 'komplimentär (Gratisnächte)', 'booked by electronic data interchange
(EDI)', 'über Onlineportale (OTA)'.

A writer puts a bracket beside words to say them again — a code, a name the reader may know better,
or a gloss of their own. Two readings, each dropping the side that names nothing:

- the word before the bracket is a value or breakdown of the catalog and no word inside is read
  ('komplimentär (Gratisnächte)'): the bracket is dropped. After a figure it is kept, and asked
  about: a figure's bracket qualifies it ('room revenue (gross)').
- every word inside is read and the words right before it are not (no mention, a spelling guess, or
  a word two readings share: 'booking portals (OTA)', 'Firmenkunden (Segment Corporate)'): those
  words are dropped; a German compound among them keeps the head the glossary knows.

Both sides unread is still asked; both read keeps both ('Room revenue and average rate (ADR)'); a
negation beside or inside ('(ohne …)') is a condition, never a restatement. Only words next to the
bracket count: back to a function word or a phrase read already, over an example list ('wie Booking
oder Expedia', 'such as …').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stop_words import get_stop_words

from assistant.core.planning.offline.german import head_in_english
from assistant.core.planning.offline.linking import STOPWORDS, Linked
from assistant.core.planning.offline.text import Token, fold, phrase_key, singular
from assistant.core.planning.offline.whole_question import NEGATIONS
from semantic_layer.catalog import Catalog

# Words that join the examples of a list right before a bracket ('Portale wie Booking oder Expedia
# (OTA)', 'portals such as Booking or Expedia (OTA)'): walked over with the unread words they join.
_EXAMPLE_JOINS = frozenset(("wie", "such", "as", "like", "or", "oder", "and", "und", "eg", "zb", "etwa"))
_BRACKET = re.compile(r"\(([^()]*)\)")
_FUNCTION_WORDS = frozenset(fold(w) for lang in ("en", "de") for w in get_stop_words(lang))


def _readings(linked: Linked) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = {}
    for m in linked.mentions:
        if m.entry.kind not in ("metric", "dimension", "value"):
            continue
        for k in range(max(m.start, 0), m.end):
            out.setdefault(k, set()).add((m.entry.kind, m.entry.target))
    return out


def _content(token: Token) -> bool:
    text = token.text
    return not (text in STOPWORDS or fold(text) in _FUNCTION_WORDS or text.isdigit() or len(text) < 2)


def _unread(
    k: int, tokens: Sequence[Token], read: dict[int, set[tuple[str, str]]], corrected: set[str]
) -> bool:
    """Token `k` is read two ways the bracket after it settles ('corporate': a channel group and a
    market segment; 'Firmenkunden (Segment Corporate)'). A word with no reading, or only a spelling
    guess, is never dropped as restated: it may say something the bracket does not ('… (Womenswear)'
    after a qualifier), and a word dropped silently can turn a question back into a wrong number;
    it is asked about instead (session 29: the rule that dropped such words gave a wrong answer on a
    frozen held-out half)."""
    got = read.get(k, set())
    if any(kind == "metric" for kind, _ in got):
        return False  # a figure is never restated away
    return len(got) > 1 and tokens[k].original not in corrected


def restated_by_a_bracket(question: str, linked: Linked) -> str | None:
    """`question` without the words a bracket restates, or None when no bracket restates any."""
    tokens = linked.tokens
    if "(" not in question or any(question[t.start : t.end] != t.original for t in tokens):
        return None
    read = _readings(linked)
    corrected = {o for o, fixed in linked.corrected.items() if singular(fold(o)) != singular(fixed)}
    drop: list[tuple[int, int, str]] = []
    for bracket in _BRACKET.finditer(question):
        inside = [k for k, t in enumerate(tokens) if bracket.start() < t.start < bracket.end()]
        inside = [k for k in inside if _content(tokens[k])]
        before = [k for k, t in enumerate(tokens) if t.end <= bracket.start()]
        if not inside or not before:
            continue
        if question[tokens[before[-1]].end : bracket.start()].strip():
            continue  # punctuation between: the bracket is no restatement of the words before it
        if any(tokens[k].text in NEGATIONS for k in [*inside, *before[-3:]]):
            continue  # '(ohne Gratisnächte)', 'without (…)': a condition, never a restatement
        last = before[-1]
        said = read.get(last, set())
        if (
            said
            and all(kind != "metric" for kind, _ in said)
            and not any(read.get(k) or tokens[k].original in corrected for k in inside)
        ):
            # 'komplimentär (Gratisnächte)': a value or breakdown said again in words read as nothing
            # (a figure's bracket qualifies it — 'room revenue (gross)' — and is asked about)
            drop.append((bracket.start(), bracket.end(), ""))
            continue
        named = {target.split("__")[-1] for kind, target in said if kind == "dimension"}
        listed = [{t.split("__")[-1] for kind, t in read.get(k, ()) if kind == "value"} for k in inside]
        if named and all(values & named for values in listed):
            continue  # 'by lane type (local / domestic / cross-border)': the breakdown's values, listed
        # 'Corporate segment': a word of the name of a dimension a value inside belongs to is read too
        kinds = {
            w for k in inside for _, target in read.get(k, ()) for w in target.split("__")[-1].split("_")
        }
        if any(
            (not read.get(k) and singular(tokens[k].text) not in kinds) or tokens[k].original in corrected
            for k in inside
        ):
            continue  # the bracket says something of its own: not all of it is read
        run: list[int] = []  # from the bracket backwards
        for k in reversed(before):
            t = tokens[k]
            if k != last and question[t.end : tokens[k + 1].start].strip():
                break  # punctuation or words read already (a period) between: another phrase
            if (_content(t) and _unread(k, tokens, read, corrected)) or (
                run and fold(t.text) in _EXAMPLE_JOINS
            ):
                run.append(k)
            else:
                break
        while run and (fold(tokens[run[-1]].text) in _EXAMPLE_JOINS or not _content(tokens[run[-1]])):
            run.pop()  # the run begins with a word of its own, not a joining word
        if any(_content(tokens[k]) for k in run):
            # a German compound keeps the head the glossary knows ('Freinächte (Complimentary)':
            # the nights, said to be complimentary)
            heads = [h for k in reversed(run) if (h := head_in_english(tokens[k].original))]
            drop.append((tokens[run[-1]].start, tokens[run[0]].end, " ".join(heads)))
    if not drop:
        return None
    out = question
    for start, end, kept in sorted(drop, reverse=True):
        out = out[:start] + kept + out[end:]
    return re.sub(r"\s{2,}", " ", out).strip()


def _glosses(description: str, value: str) -> list[tuple[str, ...]]:
    """The words a dimension's description glosses `value` with: 'NOS (never out of stock)' or
    'never out of stock (NOS)'."""
    v = re.escape(value)
    found = [m.group(1) for m in re.finditer(rf"(?<![\w-]){v}\s*\(([^()]*)\)", description, re.I)]
    found += [m.group(1) for m in re.finditer(rf"([^(),.;:]*)\(\s*{v}\s*\)", description, re.I)]
    return [key for g in found if (key := phrase_key(g))]


def glossed_by_the_catalog(question: str, linked: Linked, catalog: Catalog) -> str | None:
    """'never-out-of-stock (NOS) articles', 'NOS (never out of stock)': a value and, beside it in a
    bracket, the very words the catalog's description of its dimension glosses it with ('NOS (never
    out of stock)'). The gloss says the value again — its words (a negation, a figure's word among
    them) ask nothing of their own — and is dropped. Only the catalog's own gloss, word for word."""
    tokens = linked.tokens
    if "(" not in question or any(question[t.start : t.end] != t.original for t in tokens):
        return None
    drop: list[tuple[int, int]] = []
    for bracket in _BRACKET.finditer(question):
        inside = [k for k, t in enumerate(tokens) if bracket.start() < t.start < bracket.end()]
        before = [k for k, t in enumerate(tokens) if t.end <= bracket.start()]
        if not inside or not before:
            continue
        for m in linked.of_kind("value"):
            dim = catalog.dimension(m.entry.target)
            if dim is None or m.entry.value is None or not dim.description:
                continue
            glosses = _glosses(dim.description, m.entry.value)
            if (m.start, m.end) == (inside[0], inside[-1] + 1):  # 'never-out-of-stock (NOS)'
                for gloss in glosses:
                    run = before[-len(gloss) :]
                    if len(run) == len(gloss) and tuple(tokens[k].text for k in run) == gloss:
                        drop.append((tokens[run[0]].start, tokens[run[-1]].end))
            elif m.end == before[-1] + 1 and tuple(tokens[k].text for k in inside) in glosses:
                drop.append((bracket.start(), bracket.end()))  # 'NOS (never out of stock)'
    if not drop:
        return None
    out = question
    for start, end in sorted(set(drop), reverse=True):
        out = out[:start] + out[end:]
    return re.sub(r"\s{2,}", " ", out).strip()
