"""A Slack digest's "Ask about this", followed as a user would: the digest is posted by the
production runner to the Slack stub, then each finding's button is clicked (a signed
`block_actions` request to the running service, as Slack sends it) and the answer to that very
question arrives in the digest's own thread; the finding's link opens the question in the widget
on the tenant's own site when the tenant has an ask URL."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse

from assistant.channels.digests.service import build_runner
from assistant.channels.slack.blocks import FOLLOWUP
from assistant.channels.slack.digest_delivery import slack_digest_sender
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.app_services import widget_secret
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore
from tests.assistant.slack.conftest import ADMIN_TOKEN, NORDWIND, SlackService, install
from tests.assistant.slack.slack_harness import FORM, action_body, post_signed
from tests.assistant.slack.slack_stub import SlackStub, blocks_of

CHANNEL = "C0DIGEST01"
TEAM = "TDIGEST01"
CREATED = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 23, 7, tzinfo=dt.UTC)  # Monday 08:00 Berlin: the 07:00 digest is due


def test_ask_about_this_answers_in_the_digests_thread_and_opens_the_tenants_widget(
    slack_service: SlackService,
) -> None:
    services, stub, server = slack_service.services, slack_service.stub, slack_service.server
    office = "https://backoffice.nordwind.example/insights?mercurios_q={q}"
    services.tenants.set_ask_url(NORDWIND, office)
    settings = services.settings.model_copy(update={"public_base_url": server.url})
    layer = services.engine.sl
    runner = build_runner(
        settings,
        services.db,
        layer,
        WarehouseTenantDirectory(layer.warehouse),
        widget_secret(settings),
        slack=slack_digest_sender(settings, services.db),
    )
    with server.client() as client:  # a workspace of Nordwind's, installed and linked as an admin does
        install(client, TEAM)
        linked = client.put(
            "/v1/admin/slack/links",
            json={"team_id": TEAM, "tenant_id": NORDWIND},
            headers={"X-Admin-Token": ADMIN_TOKEN},
        )
        assert linked.status_code == 200, linked.text
    request = SubscriptionRequest(cron="0 7 * * 1", channel="slack", slack_channel=CHANNEL, slack_team=TEAM)
    sub = SubscriptionStore(services.db).create(NORDWIND, "anna", request, now=CREATED)
    try:
        outcomes = [o for o in runner.run_due(NOW).outcomes if o.subscription_id == sub.subscription_id]
        assert [o.status for o in outcomes] == ["sent"], outcomes
        [digest] = [c for c in stub.of("chat.postMessage") if c.params.get("channel") == CHANNEL]
        match = re.search(r"\(ts ([0-9.]+)\)", outcomes[0].detail)  # the ts Slack gave the message
        assert match is not None, outcomes[0].detail
        digest_ts = match.group(1)
        blocks = blocks_of(digest)
        buttons = [
            e
            for b in blocks
            if b["type"] == "actions"
            for e in b["elements"]
            if str(e.get("action_id")).startswith(f"{FOLLOWUP}_")
        ]
        cards = [
            b
            for b in blocks
            if b["type"] == "section" and "Open in the Mercurios widget" in b["text"]["text"]
        ]
        assert buttons and len(buttons) == len(cards)
        assert all(e["text"]["text"] == "Ask about this" for e in buttons)

        # the widget link of every card opens its question on the tenant's own page
        for card, btn in zip(cards, buttons, strict=True):
            link = card["text"]["text"].split("<", 1)[1].split("|", 1)[0]
            assert link.startswith("https://backoffice.nordwind.example/insights?mercurios_q=")
            asked = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["mercurios_q"][0]
            assert asked == btn["value"]

        # clicking the button asks the question in the digest's thread (one click after another,
        # as a reader does: the second question is asked once the first is answered)
        clicked = buttons[:2]

        def answers(s: SlackStub) -> int:
            return sum(
                "mercurios_answer_actions" in str(c.params.get("blocks"))
                for c in s.of("chat.update")
                if c.params.get("channel") == CHANNEL
            )

        with server.client() as client:
            for n, btn in enumerate(clicked):
                body = action_body(
                    TEAM,
                    btn["action_id"],
                    btn["value"],
                    channel=CHANNEL,
                    thread_ts=digest_ts,
                    response_url=f"{stub.url}/response/digest-{n}",
                )
                assert post_signed(client, body, FORM).status_code == 200
                stub.wait_for(lambda s, done=n + 1: answers(s) >= done, timeout=120)
        in_thread = [
            c
            for c in stub.of("chat.postMessage")
            if c.params.get("channel") == CHANNEL and c is not digest and c.params.get("thread_ts")
        ]
        assert in_thread and {c.params["thread_ts"] for c in in_thread} == {digest_ts}
        conversations = set()
        for update in stub.of("chat.update"):
            if update.params.get("channel") != CHANNEL:
                continue
            for b in blocks_of(update):
                for e in b.get("elements", []):
                    if e.get("action_id") == "mercurios_feedback_up":
                        conversations.add(json.loads(e["value"])["c"])
        [conversation] = conversations  # one conversation: the digest's thread
        asked = [t.question for t in services.conversations.turns(NORDWIND, conversation)]
        assert asked == [b["value"] for b in clicked]  # each answer is to its button's own question
    finally:
        services.tenants.set_ask_url(NORDWIND, None)
        SubscriptionStore(services.db).deactivate(NORDWIND, sub.subscription_id)
