"""Acceptance 1 over real HTTP: streamed answers, follow-ups across requests, the JSON contract."""

from __future__ import annotations

from tests.assistant.api.api_harness import read_sse
from tests.assistant.api.conftest import NORDWIND, Api

AS_OF = "2026-10-31"


def test_a_streamed_answer_arrives_event_by_event(api: Api) -> None:
    with (
        api.server.client(api.key(NORDWIND)) as client,
        client.stream(
            "POST", "/v1/chat", json={"question": "net sales by store last month", "as_of": AS_OF}
        ) as r,
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in r.headers
        events = list(read_sse(r))
    kinds = [e.event for e in events]
    assert kinds[0] == "status"
    assert kinds.index("plan") < kinds.index("sql") < kinds.index("table") < kinds.index("answer")
    assert kinds[-1] == "done"
    sql = next(e.data["sql"] for e in events if e.event == "sql")
    assert f"'{NORDWIND}'" in str(sql)
    answer = next(e for e in events if e.event == "answer")
    assert answer.data["text"]


def test_a_follow_up_in_the_same_conversation_uses_the_previous_question(api: Api) -> None:
    with api.server.client(api.key(NORDWIND)) as client:
        first = client.post("/v1/ask", json={"question": "net sales last month", "as_of": AS_OF}).json()
        conversation = first["conversation_id"]
        follow = client.post(
            "/v1/ask", json={"question": "and by store?", "conversation_id": conversation, "as_of": AS_OF}
        ).json()
        assert follow["kind"] == "data", follow
        assert follow["plan"]["query"]["metrics"] == ["net_sales"]
        assert any("store" in g for g in follow["plan"]["query"]["group_by"])
        stored = client.get(f"/v1/conversations/{conversation}").json()
    assert [t["question"] for t in stored["turns"]] == ["net sales last month", "and by store?"]
    assert stored["turns"][1]["sql"] and stored["turns"][1]["plan"]["kind"] == "metric"


def test_ask_returns_the_cli_json_contract(api: Api) -> None:
    with api.server.client(api.key(NORDWIND)) as client:
        r = client.post("/v1/ask", json={"question": "units sold last week", "as_of": AS_OF})
    assert r.status_code == 200
    body = r.json()
    for field in (
        "tenant",
        "question",
        "as_of",
        "kind",
        "plan",
        "sql",
        "columns",
        "rows",
        "answer",
        "cached",
    ):
        assert field in body
    assert body["tenant"] == NORDWIND and body["kind"] == "data" and body["rows"]


def test_health_readiness_and_openapi(api: Api) -> None:
    with api.server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.json()
        paths = client.get("/openapi.json").json()["paths"]
        assert {
            "/v1/chat",
            "/v1/ask",
            "/v1/conversations/{conversation_id}",
            "/v1/catalog",
            "/v1/query",
        } <= set(paths)
        assert "mercurios_http_requests" in client.get("/metrics").text
