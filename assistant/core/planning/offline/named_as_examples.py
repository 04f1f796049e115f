"""Names given as examples of a kind the question names: 'über Buchungsportale wie Booking oder
Expedia (OTA)', 'through OTAs like Booking.com or Expedia', 'carriers such as DHL or UPS'.

'like X or Y' after a plural noun says what the noun means; it asks for no filter on X and Y. A name
of the list the tenant's lexicon does not know ('Expedia': no channel, agency or booker is called so)
was asked about ('I couldn't find Expedia …') though the kind before it was read. The list is left out
when it follows words naming one of the tenant's values (the kind: 'OTAs', 'Buchungsportale',
'corporate accounts'), is made of capitalised names only, and at least one of them is unknown while
none is one of the tenant's values: a list of the tenant's own names ('hotels like Lisboa Ribeira or
Porto Flores') stays and filters as before, and so does a list after a breakdown's word ('brands
like Nike or Adidas': which brands is asked).
"""

from __future__ import annotations

import re

from assistant.core.planning.offline.german import english_for
from assistant.core.planning.offline.lexicon import Lexicon, key_of

_NAME = r"[A-ZÄÖÜ][\w.&'-]*"
_EXAMPLES = re.compile(
    rf"(?<=\w)\s*,?\s+(?:like|such\s+as|e\.\s?g\.|for\s+example|for\s+instance|including|wie(?:\s+z\.\s?B\.)?"
    rf"|z\.\s?B\.|etwa|beispielsweise)\s+({_NAME}(?:\s+{_NAME})?(?:\s*(?:,|/|\bor\b|\band\b|\boder\b|\bund\b)\s*"
    rf"{_NAME}(?:\s+{_NAME})?)*)"
)
_PARTS = re.compile(r"\s*(?:,|/|\bor\b|\band\b|\boder\b|\bund\b)\s*")


def _is_value(lexicon: Lexicon, name: str) -> bool:
    return any(e.kind == "value" for e in lexicon.lookup(key_of(name)))


def _unknown(lexicon: Lexicon, name: str) -> bool:
    key = key_of(name)
    return bool(key) and not lexicon.lookup(key) and not all(w in lexicon.vocabulary for w in key)


def _names_a_value(lexicon: Lexicon, before: str) -> bool:
    """The last one to three words before the list name one of the tenant's values."""
    words = re.findall(r"[^\W\d_][\w&-]*", before)[-3:]
    for k in range(len(words)):
        phrase = " ".join(words[k:])
        english = english_for(words[-1]) if k == len(words) - 1 else None
        for said in (phrase, english):
            if said and _is_value(lexicon, said):
                return True
    return False


def without_examples(question: str, lexicon: Lexicon) -> str:
    """`question` without a list of example names the tenant does not hold (see the module)."""

    def dropped(found: re.Match[str]) -> str:
        names = [n for n in _PARTS.split(found.group(1)) if n.strip()]
        if len(names) < 2 and not found.group(0).lstrip(" ,").lower().startswith(("such", "e.", "z.", "for")):
            return found.group(0)  # 'wie Booking': one name after 'wie' may be 'how' or a comparison
        if any(_is_value(lexicon, n) for n in names) or not any(_unknown(lexicon, n) for n in names):
            return found.group(0)
        if not _names_a_value(lexicon, question[: found.start()]):
            return found.group(0)
        return ""

    return _EXAMPLES.sub(dropped, question)
