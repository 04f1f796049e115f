"""Link the words of a question to metrics, dimensions and the tenant's dimension values.

Greedy longest-match over token n-grams against the lexicon (so "gross sales" beats "sales"),
after a cautious spelling correction of words the lexicon does not know ("revnue" → "revenue").
Also reports what could not be linked: a capitalised name or a word after "in"/"at" that is
none of the tenant's stores, cities, categories … is surfaced, never silently dropped — an
answer for all stores when the user asked about "Paris" would be wrong and look right.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stop_words import get_stop_words

from assistant.core.planning.offline.lexicon import COMMON_WORDS, Entry, Lexicon
from assistant.core.planning.offline.text import Token, fold, lemma, singular, tokenize
from assistant.core.planning.offline.typos import another_word, another_word_first_letter, known_word
from assistant.core.planning.offline.vocabulary import is_of_time

_NEGATORS = frozenset(
    {
        "excluding",
        "exclude",
        "except",
        "without",
        "not",
        "no",
        "ohne",
        "ausser",
        "ausgenommen",
        "minus",
        "excl",
    }
)
# The negators that leave a part out ('excluding …', 'ohne …'): what follows them must be read by a
# mention within a few words, else the answer would include what was to be left out.
LEAVING_OUT = frozenset(
    ("excluding", "exclude", "except", "without", "ohne", "ausser", "ausgenommen", "excl")
)
_LEFT_OUT_REACH = 4
_PLACE_PREPOSITIONS = {"in", "at", "for", "from", "im", "bei", "fuer", "für", "store", "filiale"}

# Words that carry no meaning for linking (function words, question words, fillers), EN + DE.
STOPWORDS = frozenset(
    """a an the of in on at for to from by per each every and or with is are was were be been what which
    who how much many show me give tell list please can could would you i we our my us do did does
    have has had it its this that these those there their them than then as all any some about over
    under into across between vs doing done get got see view let lets whats hows
    more less most least up down only just also again now same but instead so far
    bring brings brought make makes made earn earned generate generated come came
    und oder der die das den dem des ein eine einer im am auf fuer pro je nach von vom zum zur
    mit wie viel viele was welche welcher welches zeige zeig mir bitte gib unser unsere unseren
    meine mein ist sind war waren hat haben wir ich es nur auch noch
    pls plz thx""".split()  # noqa: SIM905
)


# Shorthand retailers type for catalog words ("sell thru rate", "avg basket").
_ABBREVIATIONS = {"thru": "through", "avg": "average", "qty": "quantity", "amt": "amount", "pct": "percent",
                  "nr": "number", "durchschn": "durchschnitt", "ums": "umsatz", "m2": "qm", "kilo": "kg",
                  "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramm": "kg",
                  "worth": "value"}  # fmt: skip


# Words of the stop-word lists that qualify which things are meant (their size, age, kind,
# membership): 'large shippers', 'new vs old stores', 'non-member customers'. Excused as function
# words, the qualifier was dropped and the whole answered: a wrong number where a question back was
# due. They stay content words (read by a mention, or asked about). Not "different": "how many
# different guests" counts distinct ones, as the count does.
_QUALIFIERS = frozenset(
    """large larger big bigger small smaller new newer old older young younger member members non
    free important significant thick thin long longer early novel former
    serious poorly""".split()  # noqa: SIM905
)
_FUNCTION_WORDS = frozenset(fold(w) for lang in ("en", "de") for w in get_stop_words(lang)) - _QUALIFIERS


@dataclass(frozen=True)
class Mention:
    entry: Entry
    start: int  # token index
    end: int  # exclusive
    text: str  # original words
    negated: bool = False


@dataclass
class Linked:
    mentions: list[Mention] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.entry.kind == kind]

    def read_whole(self) -> bool:
        """Did the lexicon read every word that carries meaning, exactly as written? (No unknown
        name, no spelling correction, no content word outside a mention.) Retrieval can then only
        re-read words the lexicon already read, which it must not overrule: the planner does not
        ask it, and a cold process loads no embedder for the question."""
        if self.unknown_names:
            return False
        if any(singular(fold(original)) != singular(fixed) for original, fixed in self.corrected.items()):
            return False  # a spelling correction (an inflection the lexicon reads is none)
        used = {i for m in self.mentions for i in range(m.start, m.end)}
        for i, token in enumerate(self.tokens):
            word = singular(token.text)
            if i in used or token.text.isdigit() or word in STOPWORDS or word in COMMON_WORDS:
                continue
            if token.text in STOPWORDS or token.text in COMMON_WORDS:
                continue
            return False
        return True


def correct_spelling(word: str, lexicon: Lexicon) -> str | None:
    vocabulary = lexicon.vocabulary
    if word.isdigit() or word in STOPWORDS or word in vocabulary or singular(word) in vocabulary:
        return None
    if word in _HARMLESS:
        return None  # 'gemacht' is a verb of the question, not a slip for a value's 'gedacht'
    if len(word) == 4:
        # one letter missing at the end or the start ('stor' → 'store'), when exactly one word fits
        grown = [v for v in lexicon.vocabulary if len(v) == 5 and (v[:-1] == word or v[1:] == word)]
        return grown[0] if len(grown) == 1 else None
    if len(word) < 5:
        return None
    close = difflib.get_close_matches(word, lexicon.vocabulary, n=2, cutoff=0.84)
    if len(close) == 2 and _rival(word, close[0], close[1], lexicon):
        return None  # two words about as close, read differently: a guess, asked about instead
    if close:
        if _a_word_not_a_slip(word, close[0], lexicon) or another_word(word, close[0]):
            return None  # 'the whole range' (no 'Orange'), 'weekday' (no 'weekend')
        return close[0]
    # Two swapped neighbours ("retrun", "stroe") are the commonest typing slip, yet in a short word
    # they cost difflib two matching characters and fall under the cutoff. One swap that makes
    # exactly one known word is as safe a correction as a high similarity ratio.
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    known = sorted({singular(w) for w in swaps} & lexicon.vocabulary)
    return known[0] if len(known) == 1 else None


def _a_word_not_a_slip(word: str, near: str, lexicon: Lexicon) -> bool:
    """'the whole range' is no slip for the colour 'Orange': a word the English or German dictionary
    knows is not turned into a stored value's name that begins otherwise (a slip rarely hits the first
    letter; 'Platin' still reads as 'platinum', a figure's or breakdown's word still corrects)."""
    if near[:1] == word[:1]:
        return False
    entries = lexicon.lookup((singular(near),)) or lexicon.lookup((near,))
    return bool(entries) and all(e.kind == "value" for e in entries) and known_word(word)


SPELLING_MARGIN = 0.03  # a second word this close to a slip, read otherwise, makes the correction a guess


def _rival(word: str, best: str, second: str, lexicon: Lexicon) -> bool:
    """`second` is about as close to `word` as `best` and the lexicon reads it otherwise."""
    if singular(best) == singular(second):
        return False

    def reading(w: str) -> set[tuple[str, str, str | None]]:
        return {(e.kind, e.target, e.value) for e in lexicon.lookup((singular(w),)) or lexicon.lookup((w,))}

    if reading(best) == reading(second):
        return False
    ratio = difflib.SequenceMatcher(None, word, best).ratio()
    return difflib.SequenceMatcher(None, word, second).ratio() >= ratio - SPELLING_MARGIN


def _correct_in_context(words: list[str], i: int, lexicon: Lexicon) -> str | None:
    """A slip too far for a word alone ('groos') is safe next to the word it forms a phrase with
    ('groos margin' → 'gross margin'): the one close word that makes a known two-word phrase."""
    word = words[i]
    if (
        len(word) < 4
        or word.isdigit()
        or word in STOPWORDS
        or word in lexicon.vocabulary
        or word in _HARMLESS
    ):
        return None
    before, after = lexicon.phrase_neighbours()
    partners = set()
    if i + 1 < len(words):
        partners |= before.get(words[i + 1], set())
    if i > 0:
        partners |= after.get(words[i - 1], set())
    if not partners:
        return None
    fits = difflib.get_close_matches(word, partners, n=2, cutoff=0.7)
    if len(fits) != 1 or another_word(word, fits[0]) or another_word_first_letter(word, fits[0]):
        return None
    return fits[0]


def link(text: str, lexicon: Lexicon, *, original: str | None = None) -> Linked:
    """Link `text` (the question with consumed phrases blanked out)."""
    tokens = tokenize(text)
    result = Linked(tokens=tokens)
    words = [singular(_ABBREVIATIONS.get(t.text, t.text)) for t in tokens]
    words = ["per" if w in ("pro", "je") else w for w in words]  # 'Reklamationen pro 1000 Sendungen'
    for i, w in enumerate(words):
        if w not in lexicon.vocabulary and is_of_time(tokens[i].text):
            continue  # 'the newest stores', 'ältesten Kunden': an age ranked, never the value 'new'/'old'
        if w not in lexicon.vocabulary and w not in STOPWORDS:
            # 'consignments went back', 'delivered': the lemma may be the word the catalog uses
            lemmatised = singular(lemma(tokens[i].text))
            if lemmatised in lexicon.vocabulary:
                words[i] = w = lemmatised
                continue
        if re.search(r"[a-z][A-Z]", tokens[i].original):
            continue  # 'TRevPAR', 'RevPAR': an acronym is a name, never a typo of another
        fixed = correct_spelling(w, lexicon)
        if fixed is None and tokens[i].text != w and w not in lexicon.vocabulary:
            fixed = correct_spelling(tokens[i].text, lexicon)  # 'slaes' (not its 'singular' 'slae')
        if fixed is not None:
            result.corrected[tokens[i].original] = fixed
            words[i] = singular(fixed)
    for i in range(len(words)):
        fixed = _correct_in_context(words, i, lexicon) or _correct_in_context(
            [*words[:i], tokens[i].text, *words[i + 1 :]], i, lexicon
        )
        if fixed is not None:
            result.corrected[tokens[i].original] = fixed
            words[i] = fixed
    candidates: list[tuple[int, float, int, Entry]] = []
    breaks = _breaks(text, tokens, original)
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + lexicon.max_len) + 1):
            if any(k in breaks for k in range(i, j - 1)):
                break  # 'in store (last 3 months): revenue' holds no 'store revenue'
            for entry in lexicon.lookup(tuple(words[i:j])):
                candidates.append((j - i, entry.priority, i, entry))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
    used = [False] * len(words)
    chosen: list[Mention] = []
    for length, _prio, i, entry in candidates:
        if length == 1 and entry.kind == "value" and words[i] in STOPWORDS and tokens[i].original.islower():
            continue  # 'on e-bikes' is a preposition, not the brand 'On'
        if length == 1 and entry.kind == "value" and entry.source == "synonym" and _glued(text, tokens[i]):
            continue  # 'E-bikes' is a name of its own, not the category a synonym 'bikes' names
        if any(used[i : i + length]):
            # the same span may carry more than one reading of equal rank (a value in two dimensions)
            same_span = [m for m in chosen if m.start == i and m.end == i + length]
            if not same_span or same_span[0].entry.kind != entry.kind:
                continue
            if same_span[0].entry.priority != entry.priority:
                continue  # a partial reading never joins a full one
            if any(m.entry.target == entry.target and m.entry.value == entry.value for m in same_span):
                continue
        for k in range(i, i + length):
            used[k] = True
        negated = any(words[k] in _NEGATORS for k in range(max(0, i - 2), i))
        text_span = " ".join(t.original for t in tokens[i : i + length])
        chosen.append(Mention(entry, i, i + length, text_span, negated))
    chosen.sort(key=lambda m: (m.start, -m.entry.priority))
    result.mentions = chosen
    result.unknown_names = _unknown_names(tokens, words, used, lexicon)
    return result


_BREAK = re.compile(r"[:;?!]")


def _breaks(text: str, tokens: Sequence[Token], original: str | None) -> set[int]:
    """The tokens after which a phrase cannot go on: a colon or a question's end, or words of the
    question read already (a period, a ranking) between them and the next token."""
    out: set[int] = set()
    same = original is not None and len(original) == len(text)
    for k in range(len(tokens) - 1):
        gap = slice(tokens[k].end, tokens[k + 1].start)
        if _BREAK.search(text[gap]) or (same and original is not None and original[gap] != text[gap]):
            out.add(k)
    return out


def _glued(text: str, token: Token) -> bool:
    """A token joined by a hyphen to the word before or after it ('bikes' of 'E-bikes')."""
    before = text[max(0, token.start - 2) : token.start]
    after = text[token.end : token.end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalnum()
    )


def _unknown_names(tokens: list[Token], words: list[str], used: list[bool], lexicon: Lexicon) -> list[str]:
    unknown: list[str] = []
    for i, tok in enumerate(tokens):
        if (
            used[i]
            or words[i] in STOPWORDS
            or tok.text.isdigit()
            or len(tok.text) < 3
            or tok.text in _HARMLESS
            or (not tok.original[:1].isupper() and tok.text in _FUNCTION_WORDS)
        ):
            continue  # ('in euros': the money's unit, no place; 'came in through': no name)
        after_place_word = i > 0 and words[i - 1] in _PLACE_PREPOSITIONS and not used[i - 1]
        capitalised = i > 0 and tok.original[:1].isupper() and not tok.original.isupper()
        if (
            (after_place_word or capitalised)
            and words[i] not in lexicon.vocabulary
            and re.fullmatch(r"[a-z][a-z\-]+", tok.text)
            and tok.original not in unknown
        ):
            unknown.append(tok.original)
    return unknown


def suggest_values(word: str, lexicon: Lexicon, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Closest known values to an unknown name (for 'did you mean …'; a higher cutoff asks
    whether the name is plausibly a misspelling of one of ours at all)."""
    values: dict[str, str] = {}
    for key, entries in lexicon.entries.items():
        for e in entries:
            if e.kind == "value" and e.value is not None:
                values[" ".join(key)] = e.value
    close = difflib.get_close_matches(singular(word.casefold()), list(values), n=n, cutoff=cutoff)
    return list(dict.fromkeys(values[c] for c in close))


# Words a question may hold that name nothing in the data: verbs of selling and asking, fillers,
# quantities, change words (EN + DE, lemmas). Any other word left over after linking is a part of
# the question the answer would silently ignore.
_HARMLESS = frozenset(
    """whats what's sell sold selling buy bought purchase purchased take took taken make made earn
    earned bring brought do did done doing go going went come came total overall whole entire full
    complete right now currently current still left split break broken breakdown compare comparison
    contribute grow growth grew change changed drop dropped fall fell rise rose increase increased
    decrease decreased sign signed spend spent include included including exclude excluded
    excluding look like want need know tell let see please thanks thank ok okay hey hi number
    amount figure figures much many often high low good bad thing things overall result
    results data numbers again ones also just time times period periods day days each pro ganze
    ganzen ganzes gesamt insgesamt gemacht machen macht machten verkauft verkaufte verkaufen
    gekauft eingekauft kaufen umgesetzt kamen kommen kam hatte hatten haben hat war waren lag liegt
    gibt geben zeig zeige zeigen bitte danke aktuell aktuelle aktueller aktuellen bisher noch mehr
    rein laut inkl inklusive ohne bei beim ans seit ueber aller alle allen alles geht laeuft wie viel viele
    wieviel wieviele jeweils sowie bzw sorted ranked order ordered list show give split per versus
    compared against than share anteil percentage proportion ham came kam lost lose losing gain
    gained gaining improve improved worse worsen better decline declined declining growing grown
    trend trending development entwicklung wachstum veraenderung happen happened based located situated
    headquartered combined together altogether summed zusammen zusammengenommen
    verschickt verschicken versandt versendet geschickt shift shifted shifting liegen lagen money geld
    record recorded recording track tracked tracking rank fine laufen lief liefen perform performed
    euro euros eur franken chf dollar dollars usd develop developed developing entwickelt entwickeln
    veraendert veraendern erwirtschaftet erwirtschaften erwirtschafteten ausgegeben ausgeben
    grant granted given gave gewaehrt gewaehren gewahrt actually really tatsaechlich tatsachlich
    wirklich""".split()  # noqa: SIM905
)


def is_harmless(word: str) -> bool:
    """A verb of selling or asking, a filler or a function word ('sell', 'through', 'came'): names no
    figure, even where a figure's name holds it ('Sell-through rate')."""
    forms = {word, singular(word)}
    return bool(forms & _HARMLESS or forms & _FUNCTION_WORDS)


def unplaced_words(
    linked: Linked, lexicon: Lexicon, context: Callable[[], frozenset[str]] = frozenset
) -> list[str]:
    """Words of the question (after signals and linking) that name nothing we know: not a metric,
    dimension or value, not a function word, not a harmless verb or filler, not a word of `context`
    (the catalog's entity names: 'gold tier customers'). Each one is a part of the question an
    answer would silently drop. `context` is asked (and words lemmatized) only for a word left
    outside every mention: a question read whole loads no lemma dictionary."""
    used = {k for m in linked.mentions for k in range(m.start, m.end)}
    out: list[str] = []
    for i, tok in enumerate(linked.tokens):
        word = tok.text
        if i in used or len(word) < 3 or any(ch.isdigit() for ch in word) or word in STOPWORDS:
            continue
        forms = {word, singular(word), word.split("'")[0]}
        if word == "long" and i > 0 and linked.tokens[i - 1].text == "how":
            continue  # 'how long will the stock last': the question's own words, not a qualifier
        if word in LEAVING_OUT and not any(i < m.start <= i + _LEFT_OUT_REACH for m in linked.mentions):
            out.append(tok.original)  # 'excluding same-day': what is left out is read by nothing
            continue
        if forms & _HARMLESS or forms & _FUNCTION_WORDS or word in _NEGATORS:
            continue
        forms.add(lemma(word))  # the lemma dictionaries load on the first word that needs them
        if forms & _HARMLESS or forms & _FUNCTION_WORDS or forms & context():
            continue
        if tok.original not in out:
            out.append(tok.original)
    return out
