"""The texts that ask back or refuse, in German when the question was asked in German.

The planners write these texts in English (`asking_back`, the offline planner's clarifications, the
guard's refusals). A German user should not be answered 'Which figure do you mean' to 'Welche
Kennzahl …'. The question's language decides, as it decides how the planner reads it
(`german.reads_german`: a German function word or an umlaut); an English question keeps English.

Each sentence form is turned on its own, its parts (the project's labels, the options, the user's
own words in quotes, example questions) kept as they are: labels and options are the words the
planner reads back, and a quoted word is the user's. A sentence of a form not listed here stays
English — a German frame around an English sentence is better than a wrong German one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.core.planning.offline.german import reads_german

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _or(options: str) -> str:
    """'A or B or C' → 'A oder B oder C' (between options only; labels keep their own words)."""
    return re.sub(r" or (?=\S)|, or | or $", lambda m: m.group(0).replace("or", "oder"), options)


def _and(words: str) -> str:
    return re.sub(r"' and '", "' und '", words)


def _of_yours(nouns: str) -> str:
    return _or(nouns.replace(" or other data", "").replace(" or other values", ""))


_RULES: tuple[_Rule, ...] = tuple(
    (re.compile(pattern, re.DOTALL), write)
    for pattern, write in (
        (
            r"I couldn't find (?P<name>'.*?') among your (?P<nouns>.*?) or other data\.",
            lambda m: (
                f"Ich habe {m['name']} nicht unter Ihren {_of_yours(m['nouns'])} oder anderen Daten gefunden."
            ),
        ),
        (
            r"I couldn't find (?P<name>'.*?') among your data\.",
            lambda m: f"Ich habe {m['name']} nicht in Ihren Daten gefunden.",
        ),
        (
            r"I don't know what (?P<q>'.*?') refers to in your data: it is none of your figures,? "
            r"(?P<nouns>.*?)or other values, and an answer without it would be wrong\.",
            lambda m: (
                f"Ich weiß nicht, worauf sich {_and(m['q'])} in Ihren Daten bezieht: Es ist keine Ihrer "
                f"Kennzahlen{', ' + _or(m['nouns'].strip()) if m['nouns'].strip() else ''} "
                "und kein anderer Wert, "
                "und eine Antwort ohne dieses Wort wäre falsch."
            ),
        ),
        (
            r"I'm not sure what (?P<q>'.*?') means in your question, and an answer without it could be "
            r"wrong\. What I can answer: (?P<reading>.*?)\. "
            r"Is that what you mean, or can you say it differently\?",
            lambda m: (
                f"Ich bin nicht sicher, was {_and(m['q'])} in Ihrer Frage bedeutet, und eine Antwort ohne "
                f"dieses Wort könnte falsch sein. Beantworten kann ich: {m['reading']}. Meinen Sie das, oder "
                "können Sie es anders formulieren?"
            ),
        ),
        (r" Did you mean (?P<opts>.*?)\?$", lambda m: f" Meinten Sie {_or(m['opts'])}?"),
        (r"Which figure do you mean\?", lambda m: "Welche Kennzahl meinen Sie?"),
        (
            r"Which figure do you mean: (?P<opts>.*?)\?(?= |$)",
            lambda m: f"Welche Kennzahl meinen Sie: {_or(m['opts'])}?",
        ),
        (
            r"Which figure does (?P<w>'.*?') mean here: (?P<opts>.*?)\?(?= |$)",
            lambda m: f"Welche Kennzahl meint {m['w']} hier: {_or(m['opts'])}?",
        ),
        (
            r"Which do you mean by (?P<w>.*?): (?P<opts>.*?)\?(?= |$)",
            lambda m: f"Was meinen Sie mit {m['w']}: {_or(m['opts'])}?",
        ),
        (
            r"Which do you mean (?P<w>'.*?'): (?P<opts>.*?)\?(?= |$)",
            lambda m: f"Was meinen Sie mit {m['w']}: {_or(m['opts'])}?",
        ),
        (
            r"Which rate do you mean: (?P<opts>.*?)\?(?= |$)",
            lambda m: f"Welche Quote meinen Sie: {_or(m['opts'])}?",
        ),
        (
            r"Top what\? Please name what should be ranked\.",
            lambda m: "Top was? Bitte nennen Sie, was gereiht werden soll.",
        ),
        (
            r"Top what\? For example the top (?P<listed>.*?)\.$",
            lambda m: f"Top was? Zum Beispiel die Top-{_or(m['listed'])}.",
        ),
        (
            r"Share of what\? Please name what the whole should be split by\.",
            lambda m: "Anteil woran? Bitte nennen Sie, wonach das Ganze aufgeteilt werden soll.",
        ),
        (
            r"Share of what\? For example: (?P<listed>.*?)\.$",
            lambda m: "Anteil woran? Zum Beispiel: " + _or(m["listed"]).replace("by ", "nach ") + ".",
        ),
        (
            r"'How many' asks for a count, but (?P<x>.*?) is no count\.",
            lambda m: (
                "'Wie viele' fragt nach einer Anzahl, aber "
                f"{m['x'].replace(' and ', ' und ')} ist keine Anzahl."
            ),
        ),
        (
            r"Broken down by which: (?P<opts>.*?)\? \(Three at once make a table too big\.\)",
            lambda m: (
                f"Aufgeschlüsselt wonach: {m['opts']}? (Drei auf einmal ergeben eine zu große Tabelle.)"
            ),
        ),
        (
            r"The average of (?P<x>.*?) per what: (?P<opts>.*?)\? \((?P<y>.*?) on its own is a total\.\)",
            lambda m: (
                f"Der Durchschnitt von {m['x']} pro was: {_or(m['opts'])}? ({m['y']} allein ist eine Summe.)"
            ),
        ),
        (
            r"I answer questions about your business data — for example (?P<x>.*?) — by (?P<by>.*?)time\. "
            r"Try: (?P<ex>'.*?')\.",
            lambda m: (
                f"Ich beantworte Fragen zu Ihren Geschäftsdaten — zum Beispiel {m['x']} — nach "
                f"{_or(m['by'])}Zeit. Versuchen Sie: {m['ex']}."
            ),
        ),
        (
            r"I can't help with that\. I answer questions about your business data, like (?P<ex>'.*?')\.",
            lambda m: (
                f"Dabei kann ich nicht helfen. Ich beantworte Fragen zu Ihren Geschäftsdaten, etwa {m['ex']}."
            ),
        ),
        (
            r"I can only answer questions about your own company's data\.",
            lambda m: "Ich kann nur Fragen zu den Daten Ihres eigenen Unternehmens beantworten.",
        ),
        (
            r"I can only read your data — I can't change or delete anything\. Ask me about it instead, "
            r"e\.g\. (?P<ex>'.*?')\.",
            lambda m: (
                "Ich kann Ihre Daten nur lesen — ich kann nichts ändern oder löschen. Fragen Sie mich "
                f"stattdessen danach, z. B. {m['ex']}."
            ),
        ),
        (
            r"Please type a question, for example: (?P<ex>'.*?')\.",
            lambda m: f"Bitte geben Sie eine Frage ein, zum Beispiel: {m['ex']}.",
        ),
        (
            r"That question is too long \((?P<d>.*?)\)\. Please shorten it\.",
            lambda m: f"Diese Frage ist zu lang ({m['d']}). Bitte kürzen Sie sie.",
        ),
        (
            r"That points back at an earlier answer, but I have no earlier answer in this conversation "
            r"to build on\. Could you ask the whole question, e\.g\. (?P<ex>'.*?')\?",
            lambda m: (
                "Das bezieht sich auf eine frühere Antwort, aber in diesem Gespräch gibt es noch keine. "
                f"Können Sie die ganze Frage stellen, z. B. {m['ex']}?"
            ),
        ),
        (
            r"I have no earlier answer in this conversation to build on: which figure do you mean\?",
            lambda m: "In diesem Gespräch gibt es noch keine frühere Antwort: Welche Kennzahl meinen Sie?",
        ),
        (
            r"Could you rephrase it, naming the figure and the breakdown you want\?",
            lambda m: (
                "Können Sie die Frage anders formulieren und die Kennzahl und die Aufschlüsselung nennen?"
            ),
        ),
    )
)


def in_german(text: str) -> str:
    """`text` with each sentence of a known form in German; the rest as written."""
    for pattern, write in _RULES:
        text = pattern.sub(write, text)
    return text


def in_question_language(text: str, question: str) -> str:
    """German for a German question, else `text` unchanged."""
    return in_german(text) if reads_german(question) else text


# Follow-up suggestions, said the way the offline planner reads them back in German (each checked
# against a German conversation: 'und nach Filiale?', 'und im Vergleich zum Vorjahr?', 'und
# wöchentlich?', 'warum?', 'nur Graz'). The breakdown's name stays the project's own label.
_FOLLOWUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^and by (?P<x>.+)\?$"), r"und nach \g<x>?"),
    (re.compile(r"^what about vs last year\?$"), "und im Vergleich zum Vorjahr?"),
    (re.compile(r"^show it weekly$"), "und wöchentlich?"),
    (re.compile(r"^show it monthly$"), "und monatlich?"),
    (re.compile(r"^why\?$"), "warum?"),
    (re.compile(r"^only (?P<x>.+)$"), r"nur \g<x>"),
)


def followup_in_german(suggestion: str) -> str:
    for pattern, german in _FOLLOWUPS:
        if pattern.match(suggestion):
            return pattern.sub(german, suggestion)
    return suggestion


def followups_in_question_language(followups: tuple[str, ...], question: str) -> tuple[str, ...]:
    """German follow-ups for a German question, else as they are."""
    return tuple(followup_in_german(f) for f in followups) if reads_german(question) else followups
