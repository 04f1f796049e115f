"""Country names for country codes: 'France', 'Polish shippers', 'aus Österreich' → FR, PL, AT.

Projects store countries as ISO 3166 alpha-2 codes (`CountryCode`, `country_code`), people name
them. Babel (already a dependency, for number formatting) holds every territory's name in English
and German and every language's English name; a language adjective ('Polish', 'Danish') names the
country where that language most likely lives, or whose name shares its stem ('Portuguese' →
Portugal). A few everyday names no table holds ('UK', 'Swiss') are listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages

_CODE = re.compile(r"^[A-Z]{2}$")
_EVERYDAY: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Britain", "British", "England"),
    "US": ("USA", "U.S.", "America", "American", "United States"),
    "CH": ("Swiss",),
    "NL": ("Holland",),
}


def is_country_dimension(name: str, label: str, values: list[str]) -> bool:
    """A dimension of country codes: named or labelled 'country', holding two-letter codes."""
    named = "country" in name.lower() or "country" in label.lower() or "land" in label.lower()
    return named and bool(values) and all(_CODE.match(v) for v in values)


@lru_cache(maxsize=512)
def country_names(code: str) -> tuple[str, ...]:
    """Names people use for the country `code` (English, German, adjectives)."""
    en, de = Locale("en"), Locale("de")
    names: list[str] = []
    for loc in (en, de):
        name = loc.territories.get(code)
        if name:
            names.append(name)
    english = en.territories.get(code, "")
    if english.endswith("a"):
        names.append(english + "n")  # Austria → Austrian
    likely = get_global("likely_subtags")
    for lang in get_official_languages(code, de_facto=True):
        adjective = en.languages.get(lang)
        if not adjective or " " in adjective or lang == "en":  # English is spoken too widely
            continue
        home = str(likely.get(lang, "")).split("_")[-1]
        if home == code or (english and adjective[:4].lower() == english[:4].lower()):
            names.append(adjective)
    names += _EVERYDAY.get(code, ())
    return tuple(dict.fromkeys(names))


def country_aliases(values: list[str]) -> Iterator[tuple[str, str]]:
    """(name, code) for every code in `values`; a name shared by two codes present is left out."""
    owners: dict[str, set[str]] = {}
    for code in values:
        for name in country_names(code):
            owners.setdefault(name.casefold(), set()).add(code)
    for code in values:
        for name in country_names(code):
            if owners[name.casefold()] == {code}:
                yield name, code
