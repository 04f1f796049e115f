"""One question from Slack, end to end: tenant from the link, the engine's events, threaded replies.

The channel stays thin: it never plans or runs SQL, it resolves the tenant (only from the admin's
link), runs the question through the service's `EngineRunner` and turns events into messages.
A Web API failure is logged and, where a user is waiting, explained in plain words.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from assistant.channels.slack import blocks
from assistant.channels.slack.links import WorkspaceLinks
from assistant.channels.slack.threads import ThreadConversations
from assistant.core.answering.examples import example_question
from assistant.core.context import RequestContext
from assistant.core.events import (
    AnswerEvent,
    ClarificationEvent,
    ErrorEvent,
    Event,
    RefusalEvent,
    StatusEvent,
    TurnSummary,
)
from assistant.runtime.app_services import ApiServices
from assistant.runtime.engine_runner import EngineRunner
from assistant.runtime.rate_limits import RateLimiter
from assistant.runtime.web.auth import Principal
from assistant.runtime.web.errors import RateLimited
from guardrails.text import control_character

if TYPE_CHECKING:  # the async client pulls aiohttp; Bolt hands one in when Slack is configured
    from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("mercurios.slack")

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class SlackQuestion:
    team_id: str
    channel_id: str
    user_id: str
    text: str
    thread_ts: str | None  # None: start a new thread (slash command)
    source: str  # command | mention | dm | shortcut | thread | button


@dataclass
class SlackChannel:
    """Everything the listeners share, built once per app."""

    services: ApiServices
    runner: EngineRunner
    links: WorkspaceLinks
    threads: ThreadConversations
    limiter: RateLimiter

    def principal(self, tenant_id: str, team_id: str, user_id: str) -> Principal:
        return Principal(tenant_id, "viewer", f"slack:{team_id}:{user_id}", "key", f"slack:{team_id}")

    def context(self, tenant_id: str, user: str, conversation_id: str) -> RequestContext:
        profile = self.services.tenants.get(tenant_id).profile
        return RequestContext(
            tenant_id=tenant_id,
            user_id=user,
            roles=("viewer",),
            conversation_id=conversation_id,
            as_of=self.services.clock.today(profile.timezone),
            locale=profile.locale,
            timezone=profile.timezone,
            currency=profile.currency,
        )

    async def resolve(self, team_id: str | None, channel_id: str | None) -> str | None:
        return await asyncio.to_thread(self.links.resolve, team_id, channel_id)


async def post(client: AsyncWebClient, **kwargs: object) -> str | None:
    """chat.postMessage; the client's retry handler already waited out `ratelimited` (bounded)."""
    try:
        response = await client.chat_postMessage(**kwargs)  # type: ignore[arg-type]
        return str(response.get("ts") or "") or None
    except SlackApiError as exc:
        log.warning("slack chat.postMessage failed: %s", exc.response.get("error"))
        return None


async def must_post(client: AsyncWebClient, **kwargs: object) -> str:
    """chat.postMessage where a user waits for it: a refusal becomes `Unreachable` with Slack's code."""
    try:
        response = await client.chat_postMessage(**kwargs)  # type: ignore[arg-type]
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "unknown")
        log.warning("slack chat.postMessage failed: %s", error)
        raise Unreachable(error) from exc
    return str(response.get("ts") or "")


async def update(client: AsyncWebClient, channel: str, ts: str, **kwargs: object) -> bool:
    try:
        await client.chat_update(channel=channel, ts=ts, **kwargs)  # type: ignore[arg-type]
        return True
    except SlackApiError as exc:
        log.warning("slack chat.update failed: %s", exc.response.get("error"))
        return False


async def upload(
    client: AsyncWebClient, channel: str, thread_ts: str, data: bytes, filename: str, title: str
) -> bool:
    try:
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, content=data, filename=filename, title=title
        )
        return True
    except SlackApiError as exc:
        log.warning("slack file upload failed: %s", exc.response.get("error"))
        return False


def _render_png(spec: dict[str, object]) -> bytes:
    from assistant.runtime.charts_png import (
        render_png,  # the digests' renderer (vl-convert, offline)
    )

    return render_png(spec)


class Unreachable(Exception):
    """We could not post where the user asked; the caller tells them another way."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


async def answer_question(channel: SlackChannel, client: AsyncWebClient, q: SlackQuestion) -> None:
    """Answers in the thread; raises `Unreachable` when Slack refuses even the first message."""
    tenant_id = await channel.resolve(q.team_id, q.channel_id)
    text = q.text.strip()
    if tenant_id is None:
        log.info("slack question from an unlinked workspace", extra={"team": q.team_id})
        await _reply(client, q, blocks.NOT_CONNECTED)
        return
    if not text:
        await _reply(client, q, blocks.empty_question(example_question(channel.services.engine.sl.catalog)))
        return
    bad = control_character(text)
    if bad is not None:  # the input guard's rule, checked before anything is posted or stored
        await _reply(
            client, q, f"That message contains characters nobody types ({bad}). Please retype the question."
        )
        return
    if len(text) > MAX_QUESTION_CHARS:
        await _reply(
            client,
            q,
            f"That message is too long for a question ({len(text):,} characters). "
            f"Please ask in at most {MAX_QUESTION_CHARS:,} characters.",
        )
        return
    try:
        channel.limiter.check(tenant_id, f"slack:{q.team_id}")
    except RateLimited:
        await _reply(
            client, q, "I'm getting a lot of questions from this workspace — please try again in a minute."
        )
        return

    thread_ts = q.thread_ts
    if thread_ts is None:  # a slash command: its own thread, anchored on a message naming the asker
        thread_ts = await must_post(
            client, channel=q.channel_id, text=f"<@{q.user_id}> asked: {blocks.mrkdwn_escape(text)[:2900]}"
        )
    user = f"slack:{q.team_id}:{q.user_id}"
    conversation_id = await asyncio.to_thread(
        channel.threads.conversation_for, tenant_id, q.team_id, q.channel_id, thread_ts, user
    )
    thinking_ts = await must_post(client, channel=q.channel_id, thread_ts=thread_ts, text=blocks.THINKING)
    ctx = channel.context(tenant_id, user, conversation_id)
    await _stream(channel, client, q, ctx, thread_ts, thinking_ts)


async def _stream(
    channel: SlackChannel,
    client: AsyncWebClient,
    q: SlackQuestion,
    ctx: RequestContext,
    thread_ts: str,
    thinking_ts: str,
) -> None:
    events: list[Event] = []
    last_update = 0.0
    principal = channel.principal(ctx.tenant_id, q.team_id, q.user_id)
    async for event in channel.runner.events(q.text.strip(), ctx, principal):
        events.append(event)
        if isinstance(event, StatusEvent) and time.monotonic() - last_update > 0.3:
            last_update = time.monotonic()  # in place, and gently (chat.update is tier 3)
            await update(client, q.channel_id, thinking_ts, text=f"{blocks.THINKING} {event.message}")
    turn = TurnSummary.from_events(events)
    sql, table, chart, final, done = turn.sql, turn.table, turn.chart, turn.final, turn.done
    ref = blocks.TurnRef(done.conversation_id, done.turn_id) if done and done.turn_id else None
    if isinstance(final, AnswerEvent):
        await update(
            client,
            q.channel_id,
            thinking_ts,
            text=final.text[:3000],
            blocks=blocks.answer_blocks(final, ref, has_sql=sql is not None),
        )
    elif isinstance(final, ClarificationEvent):
        await update(
            client,
            q.channel_id,
            thinking_ts,
            text=final.question,
            blocks=[
                blocks.section(blocks.mrkdwn_escape(final.question)),
                *blocks.followup_blocks(final.options, "Did you mean"),
            ],
        )
    elif isinstance(final, RefusalEvent | ErrorEvent):
        await update(client, q.channel_id, thinking_ts, text=f":warning: {final.message}")
    else:
        await update(
            client, q.channel_id, thinking_ts, text=":warning: I couldn't answer that; please try again."
        )
    if table is not None and table.labels and isinstance(final, AnswerEvent):
        rows = channel.services.settings.slack.table_rows
        await post(
            client,
            channel=q.channel_id,
            thread_ts=thread_ts,
            text=blocks.table_fallback_text(table, rows),
            blocks=blocks.table_blocks(table, rows),
        )
        if blocks.needs_csv(table, rows):
            await upload(
                client, q.channel_id, thread_ts, blocks.table_csv(table), "result.csv", "All rows (CSV)"
            )
    if chart is not None and isinstance(final, AnswerEvent):
        try:
            png = await asyncio.to_thread(_render_png, chart.spec)
        except Exception:
            log.exception("chart rendering failed")
        else:
            await upload(client, q.channel_id, thread_ts, png, "chart.png", "Chart")


async def _reply(client: AsyncWebClient, q: SlackQuestion, text: str) -> None:
    await must_post(client, channel=q.channel_id, thread_ts=q.thread_ts, text=text)
