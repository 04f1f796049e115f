"""Block Kit for answers: pure functions from engine events to Slack message payloads.

Slack limits shape everything here: section text ≤ 3000 characters, button text ≤ 75, button
value ≤ 2000, a table block ≤ 100 rows × 20 columns. Rows beyond the shown top go to a CSV file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from assistant.core.events import AnswerEvent, TableEvent

Block = dict[str, Any]

SHOW_SQL = "mercurios_show_sql"
FEEDBACK_UP = "mercurios_feedback_up"
FEEDBACK_DOWN = "mercurios_feedback_down"
FOLLOWUP = "mercurios_followup"

NOT_CONNECTED = (
    "This Slack workspace isn't connected to Mercurios yet, so I can't answer here. "
    "Ask your Mercurios admin to link it (`mercurios slack link --team <team id> --tenant <tenant>`)."
)


def empty_question(example: str) -> str:
    """The reply to an empty `/mercurios`, with an example in the project's own words."""
    return f"Ask me a question about your data, for example `/mercurios {example}`."


THINKING = ":hourglass_flowing_sand: Thinking…"


@dataclass(frozen=True)
class TurnRef:
    """What a button needs to find its answer again: the tenant is NOT in it (it comes from the link)."""

    conversation_id: str
    turn_id: str

    def encode(self) -> str:
        return json.dumps({"c": self.conversation_id, "t": self.turn_id})

    @staticmethod
    def decode(value: str) -> TurnRef | None:
        try:
            data = json.loads(value)
            return TurnRef(str(data["c"])[:64], str(data["t"])[:64])
        except (ValueError, KeyError, TypeError):
            return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn_escape(text: str) -> str:
    """Slack treats &, < and > as control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, 3000)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, 3000)}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _clip(text, 75), "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def provenance_label(verified: bool) -> str:
    if verified:
        return ":white_check_mark: Verified metric — compiled from the semantic layer."
    return ":warning: Generated SQL — not a verified metric; check it before you rely on it."


def answer_blocks(answer: AnswerEvent, ref: TurnRef | None, *, has_sql: bool) -> list[Block]:
    blocks: list[Block] = [section(mrkdwn_escape(answer.text) or "_(no answer text)_")]
    notes = []
    if answer.period:
        notes.append(f"Period: {mrkdwn_escape(answer.period)}")
    if has_sql:
        notes.append(provenance_label(answer.verified))
    if answer.cached:
        notes.append("cached answer")
    if notes:
        blocks.append(context(" · ".join(notes)))
    if ref is not None:
        actions: list[Block] = []
        if has_sql:
            actions.append(button("Show SQL", SHOW_SQL, ref.encode()))
        actions += [button("👍", FEEDBACK_UP, ref.encode()), button("👎", FEEDBACK_DOWN, ref.encode())]
        blocks.append({"type": "actions", "block_id": "mercurios_answer_actions", "elements": actions})
    blocks += followup_blocks(answer.followups)
    return blocks


def followup_blocks(
    questions: tuple[str, ...] | list[str], heading: str = "Follow-up questions"
) -> list[Block]:
    if not questions:
        return []
    elements = [button(q, f"{FOLLOWUP}_{i}", q) for i, q in enumerate(questions[:5])]
    return [
        context(heading),
        {"type": "actions", "block_id": "mercurios_followups", "elements": elements},
    ]


def table_blocks(table: TableEvent, max_rows: int) -> list[Block]:
    """The top rows as a Block Kit table (header = column labels, cells as the answer formats them)."""
    columns = min(len(table.labels), 20)
    shown = table.formatted[: min(max_rows, 99)]
    rows = [[{"type": "raw_text", "text": _clip(str(label), 200) or " "} for label in table.labels[:columns]]]
    rows += [
        [{"type": "raw_text", "text": _clip(cell, 200) or " "} for cell in row[:columns]] for row in shown
    ]
    blocks: list[Block] = [{"type": "table", "rows": rows}]
    total = max(table.total_rows, len(table.formatted))
    if total > len(shown):
        blocks.append(context(f"Top {len(shown)} of {total} rows — all rows are in the attached CSV."))
    return blocks


def needs_csv(table: TableEvent, max_rows: int) -> bool:
    return max(table.total_rows, len(table.rows)) > min(max_rows, 99)


def table_csv(table: TableEvent) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.labels)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8")


def table_fallback_text(table: TableEvent, max_rows: int) -> str:
    """Notification text and screen-reader fallback of the table message."""
    lines = [" | ".join(table.labels)]
    lines += [" | ".join(r) for r in table.formatted[:max_rows]]
    return _clip("\n".join(lines), 3000)
