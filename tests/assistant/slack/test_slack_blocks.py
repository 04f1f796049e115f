"""Block Kit payloads stay inside Slack's limits whatever the answer looks like."""

from __future__ import annotations

import csv
import io

from assistant.channels.slack import blocks
from assistant.core.events import AnswerEvent, TableEvent


def _table(n_rows: int, n_cols: int = 3) -> TableEvent:
    labels = tuple(f"Column {i}" for i in range(n_cols))
    rows = tuple(tuple(r * 10 + c for c in range(n_cols)) for r in range(n_rows))
    return TableEvent(
        columns=labels,
        labels=labels,
        rows=rows,
        formatted=tuple(tuple(f"{v:,}" for v in row) for row in rows),
        truncated=False,
        total_rows=n_rows,
    )


def test_small_table_is_shown_whole_without_csv() -> None:
    table = _table(4)
    out = blocks.table_blocks(table, 10)
    assert len(out) == 1 and len(out[0]["rows"]) == 5
    assert out[0]["rows"][0][0] == {"type": "raw_text", "text": "Column 0"}
    assert not blocks.needs_csv(table, 10)


def test_big_wide_table_is_cut_to_slack_limits_and_the_csv_has_everything() -> None:
    table = _table(500, 30)
    out = blocks.table_blocks(table, 1000)
    assert len(out[0]["rows"]) == 100 and all(len(r) == 20 for r in out[0]["rows"])
    assert "Top 99 of 500 rows" in out[1]["elements"][0]["text"]
    assert blocks.needs_csv(table, 1000)
    rows = list(csv.reader(io.StringIO(blocks.table_csv(table).decode())))
    assert len(rows) == 501 and len(rows[0]) == 30


def test_answer_text_is_escaped_clipped_and_labelled() -> None:
    answer = AnswerEvent(text="<!channel> & " + "x" * 5000, followups=("by store", "y" * 200), verified=False)
    out = blocks.answer_blocks(answer, blocks.TurnRef("c1", "t1"), has_sql=True)
    text = out[0]["text"]["text"]
    assert text.startswith("&lt;!channel&gt; &amp; ") and len(text) == 3000  # no @channel ping
    assert "Generated SQL" in out[1]["elements"][0]["text"]
    buttons = [e for b in out if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons][:3] == [
        blocks.SHOW_SQL,
        blocks.FEEDBACK_UP,
        blocks.FEEDBACK_DOWN,
    ]
    assert all(len(b["text"]["text"]) <= 75 for b in buttons)


def test_no_sql_no_show_sql_button_and_garbage_button_values_decode_to_nothing() -> None:
    out = blocks.answer_blocks(
        AnswerEvent(text="From the handbook."), blocks.TurnRef("c", "t"), has_sql=False
    )
    ids = [e["action_id"] for b in out if b["type"] == "actions" for e in b["elements"]]
    assert blocks.SHOW_SQL not in ids
    for bad in ("", "not json", "[]", '{"c": 1}'):
        assert blocks.TurnRef.decode(bad) is None
    assert blocks.TurnRef.decode(blocks.TurnRef("c" * 500, "t").encode()) == blocks.TurnRef("c" * 64, "t")
