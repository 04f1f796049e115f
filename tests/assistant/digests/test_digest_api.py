"""The digest and insights endpoints over real HTTP: tenant from the credential, bad input as 4xx
with a stable code, and no way to read or stop another tenant's subscriptions."""

from __future__ import annotations

import datetime as dt

from tests.assistant.api.conftest import (  # noqa: F401 — the API suite's fixtures, reused
    ALPIN,
    NORDWIND,
    Api,
    api,
    api_semantic_layer,
    backend,
)

GOOD = {"cron": "0 7 * * 1", "timezone": "Europe/Berlin", "recipients": ["anna@nordwind.example"]}


def test_subscribe_list_and_unsubscribe_stay_within_the_callers_tenant(api: Api) -> None:  # noqa: F811
    with api.server.client(api.key(NORDWIND)) as nordwind, api.server.client(api.key(ALPIN)) as alpin:
        created = nordwind.post("/v1/digests/subscriptions", json={**GOOD, "categories": []})
        assert created.status_code == 201, created.text
        sub = created.json()
        assert sub["tenant_id"] == NORDWIND
        assert sub["subscription_id"] in [
            s["subscription_id"] for s in nordwind.get("/v1/digests/subscriptions").json()["subscriptions"]
        ]
        assert sub["subscription_id"] not in [
            s["subscription_id"] for s in alpin.get("/v1/digests/subscriptions").json()["subscriptions"]
        ]
        stolen = alpin.delete(f"/v1/digests/subscriptions/{sub['subscription_id']}")
        assert stolen.status_code == 404 and stolen.json()["error"]["code"] == "subscription_not_found"
        smuggled = alpin.post("/v1/digests/subscriptions", json={**GOOD, "tenant_id": NORDWIND})
        assert smuggled.status_code in (400, 422)
        assert nordwind.delete(f"/v1/digests/subscriptions/{sub['subscription_id']}").status_code == 204
        assert nordwind.get("/v1/digests/subscriptions").json()["subscriptions"] == []
    with api.server.client(api.key(NORDWIND, "viewer")) as viewer:
        assert viewer.post("/v1/digests/subscriptions", json=GOOD).status_code == 403


def test_bad_subscriptions_are_refused_with_a_code(api: Api) -> None:  # noqa: F811
    alpin_store = "Alpin"  # a word of another tenant, certainly not a Nordwind store name
    cases = [
        ({**GOOD, "cron": "61 7 * * 1"}, "invalid_schedule"),
        ({**GOOD, "cron": "every monday"}, "invalid_schedule"),
        ({**GOOD, "timezone": "Mars/Olympus"}, "invalid_schedule"),
        ({**GOOD, "recipients": ["a@b.example\r\nBcc: x@y.example"]}, "invalid_recipient"),
        ({**GOOD, "recipients": []}, "invalid_recipient"),
        ({**GOOD, "stores": [alpin_store]}, "invalid_focus"),
        ({**GOOD, "metrics": ["profit_of_competitors"]}, "invalid_focus"),
    ]
    with api.server.client(api.key(NORDWIND)) as nordwind:
        for body, code in cases:
            got = nordwind.post("/v1/digests/subscriptions", json=body)
            assert got.status_code == 400, (body, got.text)
            assert got.json()["error"]["code"] == code, (body, got.text)
        assert nordwind.get("/v1/digests/subscriptions").json()["subscriptions"] == []


def test_insights_are_the_callers_tenants_and_bad_periods_are_refused(api: Api) -> None:  # noqa: F811
    with api.server.client(api.key(NORDWIND, "viewer")) as nordwind:
        got = nordwind.get("/v1/insights", params={"period": "week", "as_of": "2026-03-23"})
        assert got.status_code == 200, got.text
        report = got.json()
        assert report["tenant_id"] == NORDWIND and report["insights"]
        assert "Alpin" not in got.text and "Casa" not in got.text
        bad = nordwind.get("/v1/insights", params={"period": "fortnight"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_period"
        empty = nordwind.get("/v1/insights", params={"as_of": (dt.date(2031, 1, 5)).isoformat()})
        assert empty.status_code == 400 and empty.json()["error"]["code"] == "no_data_for_period"
