"""Issue 19, finding 3: control characters are refused at the input, for every text field.

PostgreSQL's text cannot hold NUL: a question with `\\u0000` used to return its rows and then fail
to store its turn and audit record. Every text field now refuses C0/C1 control characters (tab,
newline and carriage return excepted) and unpaired surrogates with a 422 naming the field, before
anything runs or is stored.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.assistant.api.conftest import NORDWIND, NORDWIND_ORIGIN, Api

HOSTILE = ("\u0000", "\u001b[2J", "\u0085", "\ud800")  # NUL, an ESC sequence, C1 NEL, a lone surrogate


def _post(client: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    """JSON with non-ASCII escaped (`\\ud800`): an unpaired surrogate has no UTF-8 encoding."""
    return client.post(path, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


def _refused(r: Any, field: str, code: str = "control_characters") -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == code, body
    assert field in body["error"]["message"]
    assert "rows" not in body


@pytest.mark.parametrize("bad", HOSTILE)
def test_a_question_with_a_control_character_is_refused_before_it_runs(api: Api, bad: str) -> None:
    question = f"net sales last month{bad}"
    # an unpaired surrogate is refused by the JSON parser already: it is no Unicode string
    code = "invalid_request" if bad == "\ud800" else "control_characters"
    with api.server.client(api.key(NORDWIND)) as client:
        _refused(_post(client, "/v1/ask", {"question": question}), "question", code)
        _refused(_post(client, "/v1/chat", {"question": question}), "question", code)
    with api.server.client(api.key(NORDWIND, "admin")) as admin:
        records = admin.get("/v1/audit").json()["records"]
    assert not any(r["action"] == "ask" and "net sales last month\\u" in str(r["detail"]) for r in records)


def test_feedback_comment_key_name_token_user_and_theme_refuse_control_characters(api: Api) -> None:
    admin = api.key(NORDWIND, "admin")
    with api.server.client(api.key(NORDWIND)) as client:
        answer = client.post(
            "/v1/ask", json={"question": "net sales last month", "as_of": "2026-10-31"}
        ).json()
        conversation = answer["conversation_id"]
        turns = client.get(f"/v1/conversations/{conversation}").json()["turns"]
        feedback = {"conversation_id": conversation, "turn_id": turns[-1]["turn_id"], "rating": "down"}
        _refused(client.post("/v1/feedback", json={**feedback, "comment": "wrong\u0000"}), "comment")
        assert client.post("/v1/feedback", json={**feedback, "comment": "wrong\nstore"}).status_code == 201
        _refused(
            client.post("/v1/widget-tokens", json={"user_id": "jane\u0000", "origin": NORDWIND_ORIGIN}),
            "user_id",
        )
    with api.server.client(admin) as client:
        keys_before = client.get("/v1/keys").json()["keys"]
        _refused(client.post("/v1/keys", json={"role": "viewer", "name": "ops\u0000"}), "name")
        assert client.get("/v1/keys").json()["keys"] == keys_before
        theme_before = client.get("/v1/tenant/theme").json()
        for field, value in (
            ("assistant_name", "Nord\u0000wind"),
            ("greeting", "Hallo\u0007"),
            ("suggestions", ["net sales\u0000"]),
            ("logo_url", "https://cdn.nordwind.example/logo\u0000.png"),
            ("primary_color", "#112233\u0000"),
        ):
            r = client.put("/v1/tenant/theme", json={field: value})
            assert r.status_code == 422, (field, r.text)
            assert field in r.json()["error"]["message"]
        assert client.get("/v1/tenant/theme").json() == theme_before
