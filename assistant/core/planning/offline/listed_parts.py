"""A part of a figure the figure's description lists, asked about alone.

'how much fuel surcharge did we bill' (Freight revenue: 'Freight charge plus fuel surcharge'), 'F&B
revenue from non-residents' (F&B revenue: 'from residents and non-residents'), 'Stornierungen für
Anreisen' (Arrivals: 'Cancellations and no-shows are not arrivals'): the word is known only from the
chosen figure's description, so the description readings let it through as explained — and the whole
figure was answered for one of its parts (9.784 € of freight revenue for 1.171 € of fuel surcharge),
or for what it leaves out. A word the description lists beside another part (after or before 'plus',
'and', 'or', 'including', 'und', 'oder') names a part: asked. A word it restates the figure with
('Compensation paid out', 'Consignments that went back to the shipper') is no part and stays read.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.text import fold, tokenize
from semantic_layer.catalog import Catalog

# words that join a part to the others a figure's description lists ('freight charge plus fuel
# surcharge', 'from residents and non-residents', 'Cancellations and no-shows are not arrivals')
_JOINERS = frozenset(("plus", "and", "or", "nor", "including", "incl", "und", "oder", "sowie", "inkl"))


def part_of_the_figure(catalog: Catalog, metric: str, words: Sequence[str]) -> bool:
    """One of `words` is a part the figure's description lists (see `listed_part`), not a word of
    its name, label or synonyms."""
    info = catalog.metric(metric)
    if info is None:
        return False
    named = lemmas(" ".join((info.name.replace("_", " "), info.label, *info.synonyms)))
    for word in words:
        forms = lemmas(word) | {fold(word)}
        if len(fold(word)) <= 3 or forms & named or any(same_stem(f, n) for f in forms for n in named):
            continue
        if listed_part(info.description, forms):
            return True
    return False


def listed_part(description: str, forms: set[str]) -> bool:
    """The word is one of the parts the description lists ('fuel surcharge' of 'Freight charge plus
    fuel surcharge'): a question about that part alone ('how much fuel surcharge did we bill', 'F&B
    revenue from non-residents', 'Stornierungen für Anreisen' of Arrivals, whose description says
    cancellations are not arrivals) is not answered by the whole figure. A word the description
    restates the figure with ('Compensation paid out', 'Consignments that went back') is no part."""
    tokens = tokenize(description)
    for k, tok in enumerate(tokens):
        own = lemmas(tok.text) | {tok.text}
        if not own & forms:  # the word itself ('shipped' is no 'shipper')
            continue
        nearby = [tokens[j].text for j in (k - 2, k - 1, k + 1) if 0 <= j < len(tokens)]
        if k + 2 < len(tokens) and tokens[k + 1].start == tok.start:  # 'non-residents': one word, two tokens
            nearby.append(tokens[k + 2].text)
        if _JOINERS & set(nearby):
            return True
    return False
