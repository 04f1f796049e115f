"""The two sides of a yes/no in words (session 30).

'weekend vs weekday nights', 'Nachnahme gegen Vorkasse', 'subcontracted linehaul vs our own fleet':
a yes/no set against something is one row each side — but only when what it is set against names
its other side. Those words are:
- a negation or a word for the rest: 'not', 'non', 'other', 'normal', 'kein', 'übrige';
- an everyday opposite of a word of its label (`_OPPOSITES`: weekend ↔ weekday, Wochentag,
  'unter der Woche'; cash on delivery ↔ prepaid, Vorkasse; international ↔ domestic; …);
- what the catalog says of that yes/no: its label, description and synonyms, and the descriptions
  of the project's other dimensions, entities and figures that name it ('Subcontracted linehaul carrier; empty
  when our own fleet ran the linehaul').
Any other word there ('weekend vs Christmas nights') is asked about, as every word nobody placed
is: read as the other side, it answered a question nobody asked.

The 'no' row of the answer is named the same way: by the opposite ('Weekday night'), else
'Not <label>' — never 'False'.
"""

from __future__ import annotations

import re

from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.text import fold, lemma
from semantic_layer.catalog import Catalog, DimensionInfo


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# a word for 'the other ones': names the other side of any yes/no
_REST = _folded(
    "not non no without other others rest remaining remainder normal regular ordinary usual "
    "nicht kein keine keinen ohne andere anderen anderer übrige übrigen restliche restlichen "
    "sonstige sonstigen normale normalen reguläre regulären gewöhnliche gewöhnlichen"
)

# (words of a label, the other side's name, words that name the other side): everyday opposites,
# English and German; a German compound is read by its first part ('Wochentagsnächte', 'Werktage')
_OPPOSITES: tuple[tuple[frozenset[str], str, frozenset[str]], ...] = (
    (
        _folded("weekend weekends wochenende wochenend"),
        "weekday",
        _folded(
            "weekday weekdays weeknight weeknights midweek week workday workdays working wochentag "
            "wochentags wochentage werktag werktags werktage woche arbeitstag arbeitstage"
        ),
    ),
    (
        _folded("cod nachnahme cash-on-delivery"),
        "prepaid",
        _folded("prepaid pre-paid prepayment advance vorkasse vorauskasse vorausbezahlt"),
    ),
    (
        _folded("international cross-border foreign abroad ausland grenzüberschreitend"),
        "domestic",
        _folded("domestic national inland inländisch inlaendisch"),
    ),
    (
        _folded("complimentary free gratis kostenlos komplimentär"),
        "paid",
        _folded("paid charged bezahlt bezahlte bezahlten zahlend zahlende zahlenden"),
    ),
    (
        _folded("subcontracted subcontractor subcontractors outsourced external third-party fremd"),
        "",
        _folded("own in-house inhouse eigen eigene eigenen eigener selbst"),
    ),
)
_PHRASES = (("cash on delivery", "cod"),)  # a label said in several words, read as one
_COMPOUND_PART = 5  # a German compound begins with its first word: 'wochentag' of 'wochentagsnaechte'


def _label_words(dim: DimensionInfo) -> set[str]:
    text = fold(dim.label)
    for phrase, word in _PHRASES:
        text = text.replace(phrase, word)
    return {w for w in re.findall(r"[\w-]+", text)}


def _opposites(dim: DimensionInfo) -> list[tuple[str, frozenset[str]]]:
    words = _label_words(dim) | {fold(s) for s in dim.synonyms}
    return [(name, sides) for keys, name, sides in _OPPOSITES if words & keys]


@per_catalog
def _said_of(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Per yes/no dimension: the words the catalog says of it (module docstring)."""
    out: dict[str, frozenset[str]] = {}
    texts = [
        *(f"{d.label} {d.description}" for d in catalog.dimensions),
        *(f"{m.label} {m.description}" for m in catalog.metrics),
        *(f"{e.label} {e.description}" for e in catalog.entities),
    ]
    for d in catalog.dimensions:
        label = fold(d.label)
        own = f"{d.label} {d.description} {' '.join(d.synonyms)}"
        about = [t for t in texts if label and label in fold(t)]
        words = re.findall(r"[\w-]+", fold(" ".join([own, *about])))
        out[d.name] = frozenset(w for word in words for w in (word, lemma(word)))
    return out


def names_other_side(word: str, dimension: str, catalog: Catalog) -> bool:
    """Whether `word` (set against the yes/no `dimension`) names its other side (module docstring)."""
    w = fold(word)
    dim = catalog.dimension(dimension)
    if dim is None:
        return False
    if w in _REST or lemma(w) in _REST:
        return True
    if w in _said_of(catalog).get(dimension, frozenset()) or lemma(w) in _said_of(catalog).get(dimension, ()):
        return True
    for _, sides in _opposites(dim):
        if w in sides or lemma(w) in sides:
            return True
        if any(len(s) >= _COMPOUND_PART and len(w) > len(s) and w.startswith(s) for s in sides):
            return True
    return False


def no_side_name(dim: DimensionInfo) -> str:
    """How the 'no' row of a yes/no reads: 'Weekday night' of 'Weekend night', 'Domestic' of
    'International', else 'Not complimentary stay'."""
    label = dim.label
    for keys, name, _ in _OPPOSITES:
        if not name:
            continue
        for phrase, word in _PHRASES:
            if word in keys and fold(label).startswith(phrase):
                return name[:1].upper() + name[1:] + label[len(phrase) :]
        first, _, rest = label.partition(" ")
        if fold(first) in keys:
            said = name[:1].upper() + name[1:] if first[:1].isupper() else name
            return f"{said} {rest}".strip()
    return f"Not {label[:1].lower()}{label[1:]}"
