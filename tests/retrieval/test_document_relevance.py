"""Document relevance (issue #17, item 7): a passage that shares only a name with the question
(the city of a weather question) is not relevant; one that holds what is asked about is.

Unit tests on hand-written passages, in English and in German. The threshold itself is held to the
labelled set (eval/suites/document-relevance.yaml) against the real index in
tests/assistant/test_retrieval_wiring.py.
"""

from __future__ import annotations

from retrieval.document_relevance import RELEVANCE_THRESHOLD, DocumentRelevance

GUIDE = (
    "Store guide — Opening hours\nAll city stores open Monday to Saturday from 10:00 to 20:00. "
    "Nordwind Hamburg opens until 21:00 on Thursdays.",
    "Store guide — Alterations\nTrousers are hemmed free of charge within 3 days in Berlin and Hamburg.",
    "Return policy — Returns\nCustomers may return unworn items within 30 days for a full refund.",
    "Return policy — Gift cards\nGift cards are not refundable and never expire.",
)
RICHTLINIEN = (
    "Rückgaberichtlinie — Rückgabe\nKunden können ungetragene Ware innerhalb von 30 Tagen zurückgeben "
    "und erhalten den vollen Kaufpreis erstattet.",
    "Filialführer — Öffnungszeiten\nAlle Filialen sind Montag bis Samstag von 10 bis 20 Uhr geöffnet; "
    "Nordwind Hamburg donnerstags bis 21 Uhr.",
    "Filialführer — Änderungsschneiderei\nHosen werden in Berlin und Hamburg innerhalb von 3 Tagen "
    "kostenlos gekürzt.",
)
NAMES = ("Hamburg", "Berlin", "München", "Nordwind Hamburg", "Nordwind Berlin")


def best(model: DocumentRelevance, question: str, passages: tuple[str, ...]) -> float:
    topic = model.topic(question)
    return max(model.score(topic, p) for p in passages)


def test_a_shared_name_is_not_relevance_in_english() -> None:
    model = DocumentRelevance(GUIDE, NAMES)
    assert [sorted(w.forms)[0] for w in model.topic("what's the weather in Hamburg?")] == ["weather"]
    assert best(model, "what's the weather in Hamburg?", GUIDE) == 0.0
    assert best(model, "who is the mayor of Berlin?", GUIDE) == 0.0
    assert best(model, "opening hours of the Hamburg store", GUIDE) >= RELEVANCE_THRESHOLD
    assert best(model, "where are trousers hemmed?", GUIDE) >= RELEVANCE_THRESHOLD
    assert best(model, "do gift cards expire?", GUIDE) == 1.0
    # lemmas meet: "returned" asks about what the policy says of "return"
    assert best(model, "can unworn items be returned?", GUIDE) >= RELEVANCE_THRESHOLD


def test_a_shared_name_is_not_relevance_in_german() -> None:
    model = DocumentRelevance(RICHTLINIEN, NAMES)
    assert best(model, "Wie ist das Wetter in Hamburg?", RICHTLINIEN) == 0.0
    assert best(model, "Wie viele Einwohner hat Berlin?", RICHTLINIEN) == 0.0
    assert best(model, "Wie lange können Kunden Ware zurückgeben?", RICHTLINIEN) >= RELEVANCE_THRESHOLD
    assert best(model, "Öffnungszeiten der Filiale Hamburg", RICHTLINIEN) >= RELEVANCE_THRESHOLD
    assert best(model, "Werden Hosen in Berlin gekürzt?", RICHTLINIEN) >= RELEVANCE_THRESHOLD


def test_a_question_made_of_names_keeps_them_as_its_topic() -> None:
    """'Nordwind Hamburg?' asks about the store itself: its names are all the topic there is."""
    model = DocumentRelevance(GUIDE, NAMES)
    assert best(model, "Nordwind Hamburg?", GUIDE) == 1.0
    assert best(model, "", GUIDE) == 0.0


def test_words_in_every_passage_weigh_less_than_rare_ones() -> None:
    """'store' is in every passage of a store guide, 'parking' in none: a question about parking
    near a store is mostly not covered."""
    passages = tuple(
        f"Store guide — Part {i}\nThe store {w}." for i, w in enumerate(("opens", "closes", "hems"))
    )
    model = DocumentRelevance(passages, ())
    assert best(model, "parking near the store", passages) < RELEVANCE_THRESHOLD


def test_similarity_counts_only_for_a_passage_that_holds_a_topic_word() -> None:
    """'store opening hours' against 'the Basel store is open from 09:00': one topic word (store)
    and a close vector — relevant. 'weather in Hamburg' against a Hamburg passage: no topic word,
    so no vector similarity makes it relevant."""
    passage = "Store guide\nThe Basel store is open Monday to Saturday from 09:00 to 19:00."
    model = DocumentRelevance((passage,), ("Basel", "Hamburg"))
    opening = model.topic("what are the store opening hours?")
    assert model.score(opening, passage) < RELEVANCE_THRESHOLD
    assert model.score(opening, passage, similarity=0.53) == 0.53
    weather = model.topic("what's the weather in Hamburg?")
    assert model.score(weather, "Nordwind Hamburg opens at 10:00.", similarity=0.9) == 0.0
