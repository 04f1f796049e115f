"""The words of ranking and change, one vocabulary for the stage that reads them and the check that
asks about them when nothing read them.

`signals.py` finds these words in the question ('top 5', 'the lowest', 'grew the most') and blanks
them out; `whole_question.py` asks about one that was left over and that no part of the plan reads.
Two lists kept apart drift: a superlative only the check knew ('longest') was never read as a
ranking, and one only the reader knew was never checked. Each list is a regular-expression
alternation that matches the written form (the question, 'größte') and the folded one (a token,
'groesste'); English and German.
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["desc", "asc"]

_AE, _OE, _UE, _SS = "(?:ä|ae)", "(?:ö|oe)", "(?:ü|ue)", "(?:ß|ss)"
_DE_END = "e[nrs]?"  # 'beste', 'besten', 'bester', 'bestes' ('meist', 'längst' alone are adverbs)

# Superlatives of size: the rows with the most first ('the highest', 'top 5', 'die meisten')
TOP = (
    "top|best|highest|largest|biggest|greatest|most|strongest|leading|longest|dearest|busiest|fullest|"
    f"best{_DE_END}|st{_AE}rkst{_DE_END}|h{_OE}chst{_DE_END}|gr{_OE}{_SS}t{_DE_END}|meist{_DE_END}|"
    rf"l{_AE}ngst{_DE_END}|\w+st{_AE}rkst{_DE_END}"
)
# ... and the fewest first ('the lowest', 'bottom 3', 'die wenigsten')
BOTTOM = (
    "bottom|worst|lowest|smallest|least|fewest|weakest|poorest|shortest|cheapest|quietest|emptiest|"
    f"schlechtest{_DE_END}|schw{_AE}chst{_DE_END}|niedrigst{_DE_END}|kleinst{_DE_END}|wenigst{_DE_END}|"
    f"k{_UE}rzest{_DE_END}|billigst{_DE_END}|geringst{_DE_END}"
)
# Superlatives whose direction depends on what is measured ('the fastest deliveries': the shortest
# transit time or the highest speed): no order of the plan can say which end is meant
UNDIRECTED = f"fastest|slowest|schnellst{_DE_END}|langsamst{_DE_END}"
# Superlatives of time ('the latest stock count', 'the newest products'): the most recent data, or
# rows in some order — read by any order, as the recent data is what every answer shows
OF_TIME = (
    f"newest|oldest|latest|earliest|neuest{_DE_END}|{_AE}ltest{_DE_END}|fr{_UE}hest{_DE_END}|"
    f"sp{_AE}test{_DE_END}"
)

# Changes, as nouns after a superlative ('the biggest drop', 'der stärkste Rückgang'): the ranking is
# on the change ('plus', 'minus', 'falls' alone are no change words: 'sales plus returns', 'falls')
DROP_NOUNS = (
    f"drops?|declines?|falls?|decreases?|downturn|shortfall|r{_UE}ckg(?:a|{_AE})nge?|einbr(?:u|{_UE})che?|"
    "einbruch|verluste?|minus"
)
RISE_NOUNS = (
    f"increases?|growth|gains?|rises?|jumps?|improvements?|zuw(?:a|{_AE})chse?|anstiege?|wachstum|"
    "steigerung|plus"
)
# Verbs of change ('dropped', 'grew', 'ist gestiegen'); 'fell the most', 'am stärksten gesunken'
DROP_VERBS = (
    "drop|dropped|dropping|fall|fell|fallen|falling|declined|declining|decreased|decreasing|shrank|shrunk|"
    f"lost|lose|losing|worse|worsen|worsened|gesunken|sinken|gefallen|zur{_UE}ckgegangen|eingebrochen|"
    "abgenommen|verschlechtert|verringert"
)
RISE_VERBS = (
    "grow|grew|grown|growing|rise|rose|risen|rising|increased|increasing|gain|gained|gaining|improve|"
    "improved|improves|improving|better|gestiegen|steigen|gewachsen|wachsen|zugenommen|zugelegt|verbessert|"
    f"gesteigert|erh{_OE}ht"
)
# Any word of change, with or without a direction ('how did sales change', 'die Entwicklung')
CHANGE = (
    f"{DROP_VERBS}|{RISE_VERBS}|change[ds]?|changing|growth|increases?|decreases?|declines?|drops|gains|"
    f"wachstum|r{_UE}ckgang|ver{_AE}nderung(?:en)?|ver{_AE}ndert|entwicklung"
)

_I = re.IGNORECASE
_TOP_WORD = re.compile(f"(?:{TOP})", _I)
_BOTTOM_WORD = re.compile(f"(?:{BOTTOM})", _I)
_UNDIRECTED_WORD = re.compile(f"(?:{UNDIRECTED})", _I)
_OF_TIME_WORD = re.compile(f"(?:{OF_TIME})", _I)
_CHANGE_WORD = re.compile(f"(?:{CHANGE})", _I)
CHANGE_IN_TEXT = re.compile(rf"\b(?:{CHANGE})\b", _I)


def ranking_direction(word: str) -> Direction | None:
    """'highest', 'größten' → 'desc'; 'lowest', 'kürzeste' → 'asc'; any other word → None."""
    if _TOP_WORD.fullmatch(word):
        return "desc"
    if _BOTTOM_WORD.fullmatch(word):
        return "asc"
    return None


def superlative_direction(word: str) -> Direction | None:
    """The order a superlative asks for before 'first' ('busiest hour first', 'worst first')."""
    return ranking_direction(word)


def is_ranking_word(word: str) -> bool:
    """A superlative that orders rows: of size, of time, or one whose direction the figure decides."""
    return ranking_direction(word) is not None or is_undirected(word) or is_of_time(word)


def is_undirected(word: str) -> bool:
    """'fastest', 'langsamste': which end is meant depends on the figure (a duration or a speed)."""
    return _UNDIRECTED_WORD.fullmatch(word) is not None


def is_of_time(word: str) -> bool:
    """'latest', 'newest', 'älteste': a superlative of time."""
    return _OF_TIME_WORD.fullmatch(word) is not None


def is_change_word(word: str) -> bool:
    """'growth', 'dropped', 'gestiegen', 'Entwicklung': the question asks how a figure changed."""
    return _CHANGE_WORD.fullmatch(word) is not None
