"""German questions on a project whose catalog speaks English: everyday business words, translated.

A retailer's own dbt project may carry German synonyms (ours does); a third-party project rarely
does, and its users still ask "Wie viele Sendungen …". Before linking, a German word the tenant's
lexicon does not know is replaced by its English words when this glossary knows it — as a whole, or
as a compound of known parts ('Frachtumsatz' → freight revenue, 'Zimmernächte' → room nights,
'Gefahrgutsendungen' → dangerous goods shipments), compared as lemmas (simplemma). Words the lexicon
knows keep their reading; time words are left to the time parser, which reads German itself.

The glossary is language data, not any project's names: general words of sales, bookings, shipping,
claims and hospitality, the way a bilingual dictionary would give them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.core.planning.offline.text import fold, lemma, singular

_GLOSSARY = Path(__file__).with_name("glossary_de.yaml")


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    raw = yaml.safe_load(_GLOSSARY.read_text(encoding="utf-8")) or {}
    return {fold(str(german)): str(english) for german, english in raw.items()}


def _known(word: str) -> str | None:
    """`word` as typed (lower case, umlauts kept: the lemmatizer needs them) or its lemma."""
    g = glossary()
    found = g.get(fold(word)) or g.get(fold(lemma(word)))
    for ending in ("en", "e", "n", "s", "er", "es"):  # inflections the lemmatizer does not know
        if found or not word.endswith(ending) or len(word) - len(ending) < 3:
            continue
        found = g.get(fold(word[: -len(ending)]))
    if not found and word.endswith(("e", "en", "er", "ern")):
        # a plural with an umlaut the lemmatizer does not know: 'Schadensfälle', 'Gründe'
        stem = re.sub(r"(?:e|en|er|ern)$", "", word)
        plain = re.sub(r"[äöü](?=[^äöü]*$)", lambda m: {"ä": "a", "ö": "o", "ü": "u"}[m.group(0)], stem)
        found = g.get(fold(plain)) if plain != stem else None
    return found


# a period as a compound's first part, with its linking 's' or 'n': 'Monatsumsatz', 'Wochenabsatz',
# 'Tagesumsatz' are the figure per that period (monthly revenue), not a figure of 'month'
_PER_PERIOD = {"monats": "monthly", "wochen": "weekly", "tages": "daily", "quartals": "quarterly"}


def _modifier(word: str) -> str | None:
    """The first part of a compound: itself, without a linking 's', or a verb's stem ('zustell'); a
    period's ('Monats-') is the grain it names ('monthly')."""
    if word in _PER_PERIOD:
        return _PER_PERIOD[word]
    for form in (word, word[:-1] if word.endswith("s") else "", word + "en", word + "ung"):
        found = _known(form) if form else None
        if found:
            return found
    return None


def english_for(word: str, known: Set[str] = frozenset()) -> str | None:
    """English words for a German word or compound (None: not one this glossary knows). A compound's
    first part may also be a word of the tenant's lexicon (`known`: folded words), kept as it is:
    'Minibarumsatz' → minibar revenue, 'Expresssendungen' → express shipments."""
    lowered = word.lower()
    found = _known(lowered)
    if found:
        return found
    for i in range(3, len(lowered) - 2):  # one split, the longest known head
        head, modifier = lowered[i:], lowered[:i]
        head_en = _known(head)
        if not head_en:
            continue
        modifier_en = _modifier(modifier) or _lexicon_word(modifier, known)
        if modifier_en:
            return f"{modifier_en} {head_en}"
    for i in range(3, len(lowered) - 2):  # 'Inlandslanes': a glossary word before a lexicon word
        head_word = _lexicon_word(lowered[i:], known) or _lexicon_word(singular(lowered[i:]), known)
        modifier_en = _modifier(lowered[:i]) if head_word and len(lowered) - i >= 4 else None
        if modifier_en:
            return f"{modifier_en} {lowered[i:]}"
    return None


def _compound_of_glossary_words(word: str, known: Set[str]) -> str | None:
    """In a question with no German word around it ('Zimmerumsatz KW 37', 'Frachtumsatz je Depot'):
    a long word the lexicon does not know that is a compound of two German words of the glossary —
    no English word is that — in English; anything else None (an English word stays as typed)."""
    lowered = word.lower()
    if len(lowered) < 8 or "-" in lowered or fold(lowered) in known or _known(lowered):
        return None
    for i in range(3, len(lowered) - 2):  # one split, the longest known head
        head_en = _known(lowered[i:])
        modifier_en = _modifier(lowered[:i]) if head_en else None
        if head_en and modifier_en:
            return f"{modifier_en} {head_en}"
    return None


def _in_english_alone(word: str, known: Set[str]) -> str:
    """A word of a question with no other German word: a compound of glossary words in English, a
    German rate compound with an unknown first part split ('Beschwerdequote' → 'Beschwerde rate';
    'quote' and 'anteil' only, no English word ends so), anything else as typed."""
    found = _compound_of_glossary_words(word, known)
    if found or fold(word) in known or not word.lower().endswith(("quote", "anteil")):
        return found or word
    return _rate_of_an_unknown_part(word) or word


def head_in_english(word: str) -> str | None:
    """The English of a German compound's head alone, when its first part is no word the glossary
    knows ('Freinächte' → night); None for a word that is no such compound."""
    lowered = word.lower()
    if len(lowered) < 6 or _known(lowered):
        return None
    for i in range(3, len(lowered) - 2):  # the longest known head
        found = _known(lowered[i:])
        if found:
            return found
    return None


# heads of a compound that say 'the rate / the share of the first part' ('Beschwerdequote')
_RATE_HEADS = ("quote", "rate", "anteil")


def _rate_of_an_unknown_part(word: str) -> str | None:
    """'Beschwerdequote' → 'Beschwerde rate': a rate head after a first part no glossary word and no
    lexicon word is, kept apart so that the part left unknown is the word asked about — never the
    rate answered without it, nor the whole compound quoted back as if nothing of it were known."""
    lowered = word.lower()
    for head in _RATE_HEADS:
        modifier = word[: -len(head)] if lowered.endswith(head) else ""
        if len(modifier) >= 3:
            return f"{modifier} {glossary()[head]}"
    return None


def _lexicon_word(part: str, known: Set[str]) -> str | None:
    """The first part of a compound as the lexicon's own word ('minibar', 'express'), never a function
    word; a linking 's' dropped ('Parkings' → parking)."""
    for form in (part, part[:-1] if part.endswith("s") else ""):
        folded = fold(form)
        if len(folded) >= 3 and folded in known and folded not in _GERMAN:
            return folded
    return None


_WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß-]*")
# Function words that only German has: a question holding one is read as German.
_GERMAN = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "wie",
        "viele",
        "viel",
        "wieviele",
        "im",
        "am",
        "letzten",
        "letzte",
        "letztes",
        "diesen",
        "dieses",
        "diesem",
        "nach",
        "pro",
        "je",
        "und",
        "oder",
        "für",
        "fuer",
        "mit",
        "von",
        "vom",
        "zum",
        "zur",
        "ist",
        "sind",
        "war",
        "waren",
        "hatten",
        "haben",
        "hat",
        "welche",
        "welcher",
        "welches",
        "gab",
        "gibt",
        "es",
        "bei",
        "aus",
        "über",
        "ueber",
        "zeig",
        "zeige",
        "mir",
        "bitte",
        "nur",
        "auch",
        "noch",
        "ohne",
        # a question with none of the words above ('Durchschnittliche Laufzeit in Tagen: Express
        # gegen Standard'): words no English question holds
        "gegen",
        "bisher",
        "seit",
        "wurde",
        "wurden",
        "insgesamt",
        "jeweils",
        "davon",
        "kw",  # Kalenderwoche: 'KW 37'
        "zwischen",
        "tagen",
        "durchschnittlich",
        "durchschnittliche",
        "durchschnittlichen",
        "durchschnittlicher",
        "durchschnittliches",
    ]
)


def reads_german(question: str) -> bool:
    words = {fold(w) for w in _WORD.findall(question)}
    return bool(words & {fold(w) for w in _GERMAN}) or bool(re.search(r"[äöüßÄÖÜ]", question))


# Separable verbs: German puts the particle at the end of the clause ('Wie viele Sendungen gingen im
# Dezember an den Absender zurück?', 'Welche Filiale legte am stärksten zu?'). The verb and its
# particle are read together, as the English phrasal verb at the verb's place (the particle dropped):
# 'went back', 'came back', 'sent back', 'grew', 'fell'.
_SEPARABLE: tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...] = tuple(
    (
        re.compile(rf"\b(?:{verb})\b", re.IGNORECASE),
        english,
        re.compile(rf"\b(?:{particle})(?=\s*[?.!,;:]|\s*$)", re.I),
    )
    for verb, particle, english in (
        ("ging|gingen|geht|gehen", "zur(?:ü|ue|u)ck", "went back"),
        ("kam|kamen|kommt|kommen", "zur(?:ü|ue|u)ck", "came back"),
        ("schickte|schickten|schickt|sandte|sandten|sendete|sendeten", "zur(?:ü|ue|u)ck", "sent back"),
        ("legte|legten|legt|nahm|nahmen|nimmt", "zu", "grew"),
        ("nahm|nahmen|nimmt", "ab", "fell"),
    )
)


def _separable_verbs(question: str) -> str:
    for verb, english, particle in _SEPARABLE:
        v = verb.search(question)
        if v is None:
            continue
        p = particle.search(question, v.end())
        if p is None or re.search(r"[?.!,;:]", question[v.end() : p.start()]):
            continue  # the particle of another clause
        question = (
            question[: v.start()] + english + question[v.end() : p.start()].rstrip() + question[p.end() :]
        )
    return question


# a part of a compound left out is the second of two things said together: '… in Stück und Wert'
_COORDINATED = re.compile(r"(?:\b(?:und|oder|sowie|bzw)\.?|[,/&])\s*$", re.IGNORECASE)


def _elided_compounds(question: str, known: set[str]) -> str:
    """'Lagerbestand in Stück und Wert': German leaves out the shared first part of a compound said
    before ('Lager|bestand … Wert' is 'Lagerwert'). A word the lexicon does not know becomes the
    compound of an earlier word's first part and itself, when the lexicon knows that compound and
    the word follows 'und', 'oder' or a comma (a word said on its own, 'als', completes nothing)."""
    words = list(_WORD.finditer(question))
    for k in range(len(words) - 1, 0, -1):
        word = words[k].group(0)
        folded = fold(word)
        if len(word) < 3 or "-" in word or {folded, singular(folded), singular(lemma(folded))} & known:
            continue
        if not _COORDINATED.search(question[: words[k].start()]):
            continue  # 'Schuhe … als Retoure': no 'und'/'oder' before it, so no compound left out
        found = None
        for earlier in reversed(words[:k]):
            before = fold(earlier.group(0))
            for i in range(len(before) - 3, 2, -1):  # the longest first part first
                compound = before[:i] + folded
                if {compound, singular(compound)} & known:
                    found = word[:0] + earlier.group(0)[:i] + folded
                    break
            if found:
                break
        if found:
            question = question[: words[k].start()] + found + question[words[k].end() :]
    return question


def _phrases_in_english(question: str, is_phrase: Callable[[str], bool]) -> str:
    """Two German words whose English words together are a figure's phrase ('neue Kunden' → 'new
    customer'), in English — even where one of them is known as a part of a value's name ('Neu im
    Januar'): alone it stays as typed, with the noun after it it names the figure."""
    words = list(_WORD.finditer(question))
    out, last, k = "", 0, 0
    while k < len(words) - 1:
        a, b = words[k], words[k + 1]
        if not question[a.end() : b.start()].strip():
            first, second = english_for(a.group(0)), english_for(b.group(0))
            if first and second and is_phrase(f"{first} {second}"):
                out += question[last : a.start()] + f"{first} {second}"
                last, k = b.end(), k + 2
                continue
        k += 1
    return out + question[last:]


# 'nach Art des Claims', 'Grund der Retoure': the kind (or reason) of a thing, said as one compound
_KIND_OF = re.compile(
    r"\b(?P<kind>Art|Typ|Grund)\s+(?:der|des|dieser|dieses)\s+(?P<what>[A-ZÄÖÜ][\wäöüß]+)\b"
)

_KINDS = {"art": "type", "typ": "type", "grund": "reason"}


def translate_unknown(question: str, known: set[str], is_phrase: Callable[[str], bool] | None = None) -> str:
    """A German question with each word the lexicon does not know (`known`: folded words, singular)
    and the glossary does replaced by its English words; everything else as typed. With `is_phrase`
    (a figure's phrase?), two words that say one together are replaced first (`_phrases_in_english`)."""
    if not reads_german(question):
        return _WORD.sub(lambda m: _in_english_alone(m.group(0), known), question)
    if is_phrase is not None:
        question = _phrases_in_english(question, is_phrase)
    question = re.sub(r"\bwie\s+hoch\b", "how much", question, flags=re.IGNORECASE)  # 'Wie hoch war …'
    # 'Art des Claims' → 'Claims type' (claim type), 'Grund der Retoure' → 'Retoure reason'
    question = _KIND_OF.sub(lambda m: f"{m['what']} {_KINDS[m['kind'].lower()]}", question)
    question = _elided_compounds(_separable_verbs(question), known)

    def part(word: str) -> str:
        folded = fold(word)
        if folded in ("zurueck", "zuruck"):
            return "back"
        if len(word) < 4 or {folded, singular(folded), singular(lemma(folded))} & known:
            return word
        return english_for(word, known) or _rate_of_an_unknown_part(word) or word

    def swap(m: re.Match[str]) -> str:
        return " ".join(part(p) for p in m.group(0).split("-") if p)

    return _WORD.sub(swap, question)
