"""simplemma's answers remembered across processes: the next process reads them from the memo file
instead of loading simplemma's dictionaries (over a second of CPU on every cold start)."""

from __future__ import annotations

from pathlib import Path

import simplemma

from assistant.core.planning.offline.lemma_memo import LemmaMemo


def _never() -> str:
    raise AssertionError("asked simplemma for a word the memo holds")


def test_a_new_process_reads_the_lemmas_an_earlier_one_looked_up(tmp_path: Path) -> None:
    first = LemmaMemo()
    first.use(tmp_path)
    asked = []

    def ask() -> str:
        asked.append(1)
        return str(simplemma.lemmatize("kunden", lang=("de", "en")))

    assert first.lookup("de,en|kunden", ask) == first.lookup("de,en|kunden", ask) == "Kunde"
    assert len(asked) == 1
    first.save()  # what happens when the process ends

    second = LemmaMemo()  # another process, same cache directory
    second.use(tmp_path)
    assert second.lookup("de,en|kunden", _never) == "Kunde"


def test_processes_add_to_the_memo_without_losing_each_others_words(tmp_path: Path) -> None:
    one, two = LemmaMemo(), LemmaMemo()
    one.use(tmp_path)
    two.use(tmp_path)
    one.lookup("de,en|kleider", lambda: "Kleid")
    two.lookup("en,de|sold", lambda: "sell")
    one.save()
    two.save()
    three = LemmaMemo()
    three.use(tmp_path)
    assert three.lookup("de,en|kleider", _never) == "Kleid"
    assert three.lookup("en,de|sold", _never) == "sell"


def test_a_broken_or_unwritable_memo_only_means_simplemma_is_asked(tmp_path: Path) -> None:
    memo = LemmaMemo()
    memo.use(tmp_path)
    for file in tmp_path.glob("lemmas-*.json"):
        file.unlink()
    (tmp_path / f"lemmas-simplemma-{simplemma.__version__}.json").write_text("{not json")
    assert memo.lookup("de,en|kunden", lambda: "Kunde") == "Kunde"
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    elsewhere = LemmaMemo()
    elsewhere.use(blocked / "memo")  # cannot be created under a file
    assert elsewhere.lookup("de,en|kunden", lambda: "Kunde") == "Kunde"
    elsewhere.save()  # and saving it is no error
