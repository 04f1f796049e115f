"""General product words: 'Leuchten', 'Skijacken', 'Skihelme' — words of the tenant's item names
that are no category, subcategory or brand of their own.

A word names every item whose name holds it (as a word, a compound's head or its first part:
'Skihelme' → 'Völkl Skihelm …'; 'Leuchten' → '… Pendelleuchte …', '… Stehleuchte …'). The filter is
the narrowest level of the item's hierarchy (its entity's dimensions of the same role that nest in
the primary one: subcategory inside category) holding all of those items with one value: 'Skihelme'
→ subcategory Helme, 'Leuchten' (three subcategories) → category Lighting. When no level holds them
with one value, the caller asks instead of guessing.

The item rows come with the tenant's lexicon (`Lexicon.members`: name dimension, the dimensions of
its role, and one row per item), read once per data version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.planning.offline.lexicon import Entry, Lexicon, Members
from assistant.core.planning.offline.text import fold, lemma, phrase_key

_ENDINGS = ("en", "er", "es", "e", "n", "s")
MIN_STEM = 4  # shorter stems ('rad', 'ski') name too much
# a stem matched as a compound's head or first part must be long: 'Handschuhe' ends in 'schuhe'
MIN_PART = 7


@dataclass(frozen=True)
class ProductWord:
    """A word read as a filter on one level of the item hierarchy (values: one, or a few)."""

    dimension: str
    values: tuple[str, ...]
    items: int  # how many items the word named


def _stems(word: str) -> set[str]:
    word = fold(word)
    stems = {word, lemma(word)}
    stems.update(word[: -len(e)] for e in _ENDINGS if word.endswith(e))
    return {s for s in stems if len(s) >= MIN_STEM}


def _names_word(token: str, stems: set[str]) -> bool:
    return any(
        token == s or (len(s) >= MIN_PART and (token.endswith(s) or token.startswith(s))) for s in stems
    )


def _nested(members: Members, column: int, primary: int) -> bool:
    """Whether the column is a level below the primary one (subcategory in category), not a trait
    that cuts across it (brand, colour): it is named as a sub-level of the primary ('subcategory',
    'sub_category') and most of its values sit inside one primary value, or nearly all do."""
    parents: dict[str, set[str]] = {}
    for row in members.rows:
        parents.setdefault(row[column], set()).add(row[primary])
    if not parents:
        return False
    nested = sum(1 for p in parents.values() if len(p) == 1) / len(parents)
    leaf = members.dimensions[column].split("__")[-1].replace("_", "")
    top = members.dimensions[primary].split("__")[-1].replace("_", "")
    return nested >= 0.98 or (top in leaf and nested >= 0.8)


# The head of a compound that names a part of the range, not an item: 'Radbereich', 'Schuhabteilung',
# 'Outdoorsortiment' — the area of the items its first part begins
AREA_HEADS = ("bereich", "abteilung", "sortiment", "segment", "sparte", "warengruppe", "kategorie")
MIN_AREA_STEM = 3  # 'Rad' of 'Radbereich': the head says it is a part of the range, so short is enough


def area_stem(word: str) -> str | None:
    """'Radbereich' → 'rad', 'Schuhabteilung' → 'schuh' (a linking 's' dropped: 'Sportsbereich')."""
    folded = fold(word)
    for head in AREA_HEADS:
        stem = folded.removesuffix(head)
        if stem != folded and len(stem) >= MIN_AREA_STEM:
            return stem
    return None


def _area_rows(stem: str, members: Members, levels: Sequence[int]) -> list[tuple[str, ...]]:
    """The items of the area a stem begins: items with a word starting with it, in their name or in
    a level of their hierarchy ('rad' → Radhelm …, the subcategories Radbekleidung, Radzubehör)."""
    stems = {stem, stem.removesuffix("s")} - {""}
    return [
        row
        for row in members.rows
        if any(t.startswith(s) for c in (0, *levels) for t in phrase_key(row[c]) for s in stems)
    ]


def read_product_words(words: Sequence[str], lexicon: Lexicon) -> ProductWord | None:
    """The level and value(s) the words name together, or None when they name no item."""
    areas = [a for w in words if (a := area_stem(w)) is not None]
    for members in lexicon.members.values():
        stems = [s for s in (_stems(w) for w in words) if s]
        primary = members.primary
        levels = [
            c for c in range(1, len(members.dimensions)) if c == primary or _nested(members, c, primary)
        ]
        if len(areas) == 1 and len(words) == 1:
            # an area of the range: the broadest level holding all its items with one value
            said = {areas[0], lemma(areas[0]), areas[0].removesuffix("s")}
            named = [(c, row[c]) for row in members.rows for c in levels if fold(row[c]) in said]
            if named:  # 'Skibereich': the level value the first part is ('Ski'), the broadest first
                c, value = min(named, key=lambda cv: (levels.index(cv[0]) != levels.index(primary), cv[0]))
                return ProductWord(members.dimensions[c], (value,), 0)
            area = _area_rows(areas[0], members, levels)
            tops = [c for c in levels if area and len({row[c] for row in area}) == 1]
            if tops:
                sizes = {c: Counter(row[c] for row in members.rows) for c in tops}
                best = max(tops, key=lambda c: sizes[c][area[0][c]])
                return ProductWord(members.dimensions[best], (area[0][best],), len(area))
        matched = [
            row for row in members.rows if any(_names_word(t, s) for t in phrase_key(row[0]) for s in stems)
        ]
        if not matched:
            continue
        sizes = {c: Counter(row[c] for row in members.rows) for c in levels}
        single = [c for c in levels if len({row[c] for row in matched}) == 1]
        if single:
            best = min(single, key=lambda c: sizes[c][matched[0][c]])
            return ProductWord(members.dimensions[best], (matched[0][best],), len(matched))
        if levels:
            narrowest = max(levels, key=lambda c: len(sizes[c]))
            values = tuple(sorted({row[narrowest] for row in matched}))
            return ProductWord(members.dimensions[narrowest], values, len(matched))
    return None


def product_word_entries(word: str, lexicon: Lexicon) -> list[Entry]:
    found = read_product_words([word], lexicon)
    if found is None:
        return []
    return [Entry("value", found.dimension, v, source="product word") for v in found.values]
