"""The digest and insights endpoints over real HTTP: tenant from the credential, bad input as 4xx
with a stable code, and no way to read or stop another tenant's subscriptions."""

from __future__ import annotations

import datetime as dt

from assistant.channels.digests.unsubscribe import unsubscribe_token, unsubscribe_url
from assistant.channels.slack.links import WorkspaceLinks
from assistant.runtime.app_services import widget_secret
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


def test_the_unsubscribe_link_stops_only_its_own_subscription(api: Api) -> None:  # noqa: F811
    secret = widget_secret(api.services.settings)
    with api.server.client(api.key(NORDWIND)) as nordwind, api.server.client() as anyone:
        sub = nordwind.post("/v1/digests/subscriptions", json=GOOD).json()["subscription_id"]
        good = unsubscribe_url("http://x", secret, NORDWIND, sub).split("?", 1)[1]
        params = dict(p.split("=", 1) for p in good.split("&"))

        def active() -> bool:
            listed = nordwind.get("/v1/digests/subscriptions").json()["subscriptions"]
            return sub in [s["subscription_id"] for s in listed]

        attempts = [
            {**params, "t": "0" * 32},  # forged token
            {**params, "tenant": ALPIN},  # Nordwind's token presented for another tenant
            {
                **params,
                "tenant": ALPIN,
                "t": unsubscribe_token(secret, ALPIN, sub),
            },  # a valid pair, wrong tenant
            {**params, "s": "f" * 32, "t": unsubscribe_token(secret, NORDWIND, "f" * 32)},  # no such sub
        ]
        for query in attempts:
            for refused in (
                anyone.get("/v1/digests/unsubscribe", params=query),
                anyone.post("/v1/digests/unsubscribe", params=query),
            ):
                assert refused.status_code == 404, (query, refused.text)
                assert refused.json()["error"]["code"] == "subscription_not_found"
                assert active()
        missing = anyone.get("/v1/digests/unsubscribe", params={"tenant": NORDWIND, "s": sub})
        assert missing.status_code in (400, 422) and active()
        # Opening the link (or a mail scanner prefetching it) only shows a confirmation page.
        page = anyone.get("/v1/digests/unsubscribe", params=params)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "<form method=post" in page.text and "Unsubscribe</button>" in page.text
        assert active()
        # RFC 8058 one-click: the mail client POSTs to the List-Unsubscribe URL.
        done = anyone.post(
            "/v1/digests/unsubscribe", params=params, content="List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert done.status_code == 200 and done.json() == {"status": "unsubscribed"}
        assert not active()
        # A second click (the page's button, in a browser) is not an error.
        again = anyone.post("/v1/digests/unsubscribe", params=params, headers={"accept": "text/html"})
        assert again.status_code == 200 and "You are unsubscribed" in again.text
        assert anyone.post("/v1/digests/unsubscribe", params=params).json() == {
            "status": "already unsubscribed"
        }
        assert "You are unsubscribed" in anyone.get("/v1/digests/unsubscribe", params=params).text


def test_a_slack_subscription_only_for_a_channel_of_the_callers_workspace(api: Api) -> None:  # noqa: F811
    slack = {"cron": "0 7 * * 1", "channel": "slack", "slack_channel": "C0BETA0001"}
    with api.server.client(api.key(NORDWIND)) as nordwind, api.server.client(api.key(ALPIN)) as alpin:
        unlinked = alpin.post("/v1/digests/subscriptions", json=slack)
        assert unlinked.status_code == 400 and unlinked.json()["error"]["code"] == "slack_channel_not_linked"
        WorkspaceLinks(api.services.db, api.services.tenants).link("TBETA0001", ALPIN)
        made = alpin.post("/v1/digests/subscriptions", json=slack)
        assert made.status_code == 201, made.text
        assert made.json()["slack_team"] == "TBETA0001" and made.json()["slack_channel"] == "C0BETA0001"
        for body in (slack, {**slack, "slack_team": "TBETA0001"}):  # Alpin's channel, Nordwind's digest
            refused = nordwind.post("/v1/digests/subscriptions", json=body)
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"]["code"] == "slack_channel_not_linked"
            assert (
                ALPIN not in refused.text and "Alpin" not in refused.text
            )  # the other tenant is never named
        assert nordwind.get("/v1/digests/subscriptions").json()["subscriptions"] == []
        alpin.delete(f"/v1/digests/subscriptions/{made.json()['subscription_id']}")
