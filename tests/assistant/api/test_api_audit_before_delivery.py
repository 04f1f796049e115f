"""Issue 19, finding 3: a turn whose audit record cannot be written delivers no data.

The database itself refuses the audit row (a trigger on `audit_log` that rejects rows of one marked
user, on SQLite and on PostgreSQL alike), as a full disk or a broken constraint would. The answer's
rows, SQL, chart and text must then not reach the caller — not over SSE, not as JSON — and the
turn must not be readable from the conversation afterwards either.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.assistant.api.api_harness import read_sse
from tests.assistant.api.conftest import NORDWIND, Api

MARKED_USER = "audit-breaker"
DATA_EVENTS = {"sql", "table", "chart", "text_delta", "answer"}


@pytest.fixture
def audit_refuses_marked_user(api: Api) -> Iterator[None]:
    db = api.services.db
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON audit_log "
                    f"WHEN NEW.detail LIKE '%{MARKED_USER}%' "
                    "BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN IF NEW.detail::text LIKE '%{MARKED_USER}%' THEN "
                    "RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_marked_audit()"
                )
            )
    yield
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.execute(text("DROP TRIGGER refuse_marked_audit"))
        else:
            conn.execute(text("DROP TRIGGER refuse_marked_audit ON audit_log"))
            conn.execute(text("DROP FUNCTION refuse_marked_audit()"))


def test_no_data_leaves_when_the_audit_record_cannot_be_written(
    api: Api, audit_refuses_marked_user: None
) -> None:
    question = {"question": "net sales by store last month", "as_of": "2026-10-31"}
    with api.server.client(api.key(NORDWIND), **{"X-Mercurios-User": MARKED_USER}) as client:
        r = client.post("/v1/ask", json=question)
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "audit_unavailable"
        assert "rows" not in r.json()
        with client.stream("POST", "/v1/chat", json=question) as stream:
            events = list(read_sse(stream))
    kinds = [e.event for e in events]
    assert not DATA_EVENTS & set(kinds), kinds
    assert kinds[-1] == "error" and events[-1].data["code"] == "audit_unavailable"
    # the same question from an unmarked user is answered and audited: only the audit was at fault
    with api.server.client(api.key(NORDWIND)) as client:
        answered = client.post("/v1/ask", json=question).json()
        assert answered["kind"] == "data" and answered["rows"]
    with api.server.client(api.key(NORDWIND, "admin")) as admin:
        records = admin.get("/v1/audit").json()["records"]
    assert not any(MARKED_USER in str(r["detail"]) for r in records)
    assert any(r["detail"].get("conversation_id") == answered["conversation_id"] for r in records)
