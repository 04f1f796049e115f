"""One vocabulary of ranking and change words: what the signal reader reads as a ranking or a change
is what the whole-question check counts as one, in English and German. Two lists kept apart had
drifted: 'longest', 'shortest' were known to the check only (never read as a ranking), 'strongest',
'schwächste' to the reader only."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.planning.offline.signals import extract_signals
from assistant.core.planning.offline.text import fold
from assistant.core.planning.offline.vocabulary import is_change_word, is_ranking_word, ranking_direction
from assistant.core.planning.plans import ClarificationPlan
from tests.assistant.planning.test_offline_planner import plan

AS_OF = date(2026, 10, 31)


@pytest.mark.parametrize(
    ("question", "word", "direction"),
    [
        ("which depot has the shortest transit time", "shortest", "asc"),
        ("welches Depot hat die kürzeste Laufzeit", "kürzeste", "asc"),
        ("which hotel had the longest booking window", "longest", "desc"),
        ("welches Hotel hatte die längsten Aufenthalte", "längsten", "desc"),
        ("the cheapest products", "cheapest", "asc"),
        ("die schwächste Filiale", "schwächste", "asc"),
        ("our strongest store", "strongest", "desc"),
        ("die umsatzstärksten Filialen", "umsatzstärksten", "desc"),
        ("welcher Kanal war am häufigsten", "häufigsten", "desc"),
        ("die häufigste Zahlungsart", "häufigste", "desc"),
    ],
)
def test_a_superlative_is_read_as_a_ranking_and_known_to_the_check(
    question: str, word: str, direction: str
) -> None:
    sig = extract_signals(question, AS_OF)
    assert sig.ranking is not None and sig.ranking.direction == direction
    assert ranking_direction(fold(word)) == direction and is_ranking_word(fold(word))


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("average booking window by hotel, longest first", "desc"),
        ("transit time by depot, shortest first", "asc"),
        ("Umsatz je Filiale, größte zuerst", "desc"),
        ("Laufzeit je Depot, kürzeste zuerst", "asc"),
    ],
)
def test_a_superlative_with_first_orders_every_row_without_a_limit(question: str, direction: str) -> None:
    sig = extract_signals(question, AS_OF)
    assert sig.order == direction and sig.ranking is None


@pytest.mark.parametrize(
    ("question", "change_rank"),
    [
        ("which stores grew the most vs last year", "desc"),
        ("which stores fell the most vs last year", "asc"),
        ("welche Filiale ist am stärksten gesunken", "asc"),
        ("welche Filiale hat am stärksten zugelegt", "desc"),
        ("welche Filiale hat am stärksten abgenommen", "asc"),
    ],
)
def test_a_change_verb_with_most_ranks_on_the_change(question: str, change_rank: str) -> None:
    sig = extract_signals(question, AS_OF)
    assert sig.change_rank == change_rank and sig.change_words


@pytest.mark.parametrize(
    "word", ["gestiegen", "rose", "fell", "growth", "Rückgang", "Entwicklung", "changed"]
)
def test_a_change_word_the_reader_flags_is_one_the_check_knows(word: str) -> None:
    assert extract_signals(f"net sales {word} last month", AS_OF).change_words
    assert is_change_word(fold(word))


@pytest.mark.parametrize("word", ["plus", "minus", "falls", "meist", "best-selling"])
def test_words_that_only_look_like_change_or_ranking_are_neither(word: str) -> None:
    assert not is_change_word(fold(word)) and not is_ranking_word(fold(word))


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # two ends asked for, one read: an answer with the worst five only drops 'best'
        ("best and worst stores by net sales last month", "'best'"),
        ("die besten und die schlechtesten Filialen nach Umsatz letzten Monat", "'besten'"),
        # a superlative whose direction only the figure knows is read by no order
        ("net sales by store last month, the fastest first", "'fastest'"),
        ("Umsatz je Filiale letzten Monat, die schnellsten zuerst", "'schnellsten'"),
    ],
)
def test_a_superlative_no_order_reads_is_asked_about(question: str, named: str) -> None:
    result = plan(question)
    assert isinstance(result, ClarificationPlan), result
    assert named in result.question


@pytest.mark.parametrize(
    "question", ["the most common payment method", "which reason was most frequent", "most common channel"]
)
def test_most_common_is_one_ranking_phrase_leaving_no_word_of_it_behind(question: str) -> None:
    # 'the most common X': the X counted most often first; 'common' is part of the ranking, not a word
    # left over to ask about
    sig = extract_signals(question, AS_OF)
    assert sig.ranking is not None and sig.ranking.direction == "desc"
    assert "common" not in sig.text and "frequent" not in sig.text
