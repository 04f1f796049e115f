"""The slack-bolt app: listeners for each entry point, acked at once, the work in lazy listeners.

Entry points: the `/mercurios` slash command, @mentions, direct messages, replies in a thread we
answered, the message shortcut "Ask Mercurios about this", and the answer's buttons.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from assistant.channels.slack import blocks
from assistant.channels.slack.answering import SlackChannel, SlackQuestion, Unreachable, answer_question
from assistant.channels.slack.installation_store import SqlInstallationStore, SqlOAuthStateStore
from assistant.channels.slack.protocols import SeenKeys
from assistant.runtime.persistence.secret_box import app_secret_box
from assistant.runtime.settings import Settings

log = logging.getLogger("mercurios.slack")

BOT_SCOPES = [
    "app_mentions:read",
    "channels:history",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "im:history",
]
SHORTCUT_CALLBACK = "ask_mercurios"
MENTION = re.compile(r"<@[A-Z0-9]+>")
CANNOT_POST = (
    "I can't post in this channel. Invite me with `/invite @Mercurios`, or ask me in a direct message."
)

RATE_LIMITED = "Slack is rate-limiting me right now, so I couldn't answer. Please try again in a minute."

Respond = Callable[..., Awaitable[Any]]


def web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """Every Web API call goes to MERCURIOS_SLACK_API_URL; `ratelimited` is retried twice, honouring
    Retry-After, then given up (logged by the caller)."""
    base = settings.slack.api_url if settings.slack.api_url.endswith("/") else settings.slack.api_url + "/"
    client = AsyncWebClient(token=token, base_url=base, timeout=10)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


def build_bolt_app(channel: SlackChannel, seen: SeenKeys) -> AsyncApp:
    """The app: request verification and installations, the retried-event filter, the listeners."""
    settings = channel.services.settings
    assert settings.slack.signing_secret is not None
    store = SqlInstallationStore(channel.services.db, app_secret_box(settings))
    oauth = _oauth_settings(channel, store)
    token = settings.slack.bot_token.get_secret_value() if settings.slack.bot_token else None
    app = AsyncApp(
        signing_secret=settings.slack.signing_secret.get_secret_value(),
        client=web_client(settings, token if oauth is None else None),
        installation_store=None if token and oauth is None else store,
        installation_store_bot_only=True,
        oauth_settings=oauth,
        logger=log,
    )
    app.middleware(_drop_retried_events(seen))
    _register(app, Listeners(channel))
    return app


def _oauth_settings(channel: SlackChannel, store: SqlInstallationStore) -> AsyncOAuthSettings | None:
    """Installation by OAuth ("Add to Slack") when the app's client id and secret are configured."""
    settings = channel.services.settings
    if not (settings.slack.client_id and settings.slack.client_secret):
        return None
    return AsyncOAuthSettings(
        client_id=settings.slack.client_id,
        client_secret=settings.slack.client_secret.get_secret_value(),
        scopes=BOT_SCOPES,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SqlOAuthStateStore(channel.services.db),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )


def _drop_retried_events(
    seen: SeenKeys,
) -> Callable[[dict[str, Any], Callable[[], Awaitable[None]]], Awaitable[BoltResponse | None]]:
    async def drop_retried_events(
        body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Slack resends an event it thinks we missed, with the same event id: answer it once."""
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not await asyncio.to_thread(
            seen.first_time, f"event:{event_id}", 3600
        ):
            log.info("dropping a retried slack event", extra={"event_id": event_id})
            return BoltResponse(status=200, body="")
        await next()
        return None

    return drop_retried_events


async def _ack_only(ack: Callable[..., Awaitable[None]]) -> None:
    await ack()


async def _ignore_event(event: dict[str, Any]) -> None:
    log.info("ignoring slack event type %s", event.get("type"))


def _register(app: AsyncApp, listeners: Listeners) -> None:
    """Every entry point is acked at once; its work runs in a lazy listener."""
    app.command("/mercurios")(ack=_ack_only, lazy=[listeners.on_command])
    app.event("app_mention")(ack=_ack_only, lazy=[listeners.on_mention])
    app.event("message")(ack=_ack_only, lazy=[listeners.on_message])
    app.event(re.compile(".*"))(_ignore_event)
    app.message_shortcut(SHORTCUT_CALLBACK)(ack=_ack_only, lazy=[listeners.on_shortcut])
    app.action(blocks.SHOW_SQL)(ack=_ack_only, lazy=[listeners.on_show_sql])
    app.action(re.compile(f"^({blocks.FEEDBACK_UP}|{blocks.FEEDBACK_DOWN})$"))(
        ack=_ack_only, lazy=[listeners.on_feedback]
    )
    app.action(re.compile(f"^{blocks.FOLLOWUP}_\\d+$"))(ack=_ack_only, lazy=[listeners.on_followup])


class Listeners:
    """What each entry point does once acked: questions go to `answer_question`; the answer's
    buttons show its SQL, record feedback or ask a suggested follow-up."""

    def __init__(self, channel: SlackChannel) -> None:
        self.channel = channel

    async def _ask(self, client: AsyncWebClient, q: SlackQuestion, respond: Respond | None) -> None:
        try:
            await answer_question(self.channel, client, q)
        except Unreachable as exc:
            log.warning(
                "cannot post in slack: %s", exc.error, extra={"team": q.team_id, "channel": q.channel_id}
            )
            if respond is not None:
                await _safe_respond(respond, RATE_LIMITED if exc.error == "ratelimited" else CANNOT_POST)
        except Exception:
            log.exception("slack question crashed")
            if respond is not None:
                await _safe_respond(respond, "Something went wrong on our side; please try again.")

    async def on_command(self, body: dict[str, Any], client: AsyncWebClient, respond: Respond) -> None:
        q = SlackQuestion(
            body.get("team_id", ""),
            body.get("channel_id", ""),
            body.get("user_id", ""),
            body.get("text") or "",
            None,
            "command",
        )
        await self._ask(client, q, respond)

    async def on_mention(self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        q = SlackQuestion(
            _team(body, event),
            event.get("channel", ""),
            event.get("user", ""),
            MENTION.sub("", event.get("text") or ""),
            event.get("thread_ts") or event.get("ts"),
            "mention",
        )
        await self._ask(client, q, None)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        """Direct messages, and replies in a thread we answered; everything else is not for us."""
        if event.get("subtype") or event.get("bot_id"):
            return  # edits, joins, our own messages: not questions
        team, chan, text = _team(body, event), event.get("channel", ""), event.get("text") or ""
        if event.get("channel_type") == "im":
            q = SlackQuestion(
                team, chan, event.get("user", ""), text, event.get("thread_ts") or event.get("ts"), "dm"
            )
            await self._ask(client, q, None)
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or MENTION.search(text):
            return  # channel chatter, or a mention (answered by the app_mention listener)
        tenant = await self.channel.resolve(team, chan)
        if (
            tenant is None
            or await asyncio.to_thread(self.channel.threads.find, team, chan, thread_ts, tenant) is None
        ):
            return  # a thread we did not start
        q = SlackQuestion(team, chan, event.get("user", ""), text, thread_ts, "thread")
        await self._ask(client, q, None)

    async def on_shortcut(self, body: dict[str, Any], client: AsyncWebClient, respond: Respond) -> None:
        message = body.get("message") or {}
        q = SlackQuestion(
            (body.get("team") or {}).get("id", ""),
            (body.get("channel") or {}).get("id", ""),
            (body.get("user") or {}).get("id", ""),
            message.get("text") or "",
            message.get("thread_ts") or message.get("ts"),
            "shortcut",
        )
        await self._ask(client, q, respond)

    async def on_show_sql(
        self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        where = _where(body)
        tenant = await self.channel.resolve(where.team_id, where.channel_id)
        ref = blocks.TurnRef.decode(action.get("value") or "")
        if tenant is None:
            await _safe_respond(respond, blocks.NOT_CONNECTED)
            return
        conversations = self.channel.services.conversations
        turns = (
            [] if ref is None else await asyncio.to_thread(conversations.turns, tenant, ref.conversation_id)
        )
        turn = next((t for t in turns if ref is not None and t.turn_id == ref.turn_id), None)
        if turn is None or not turn.sql:
            await _safe_respond(respond, "I can't find the SQL of that answer any more.")
            return
        await _ephemeral(client, where, f"SQL as executed:\n```{turn.sql[:2800]}```", respond)

    async def on_feedback(
        self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        where = _where(body)
        tenant = await self.channel.resolve(where.team_id, where.channel_id)
        ref = blocks.TurnRef.decode(action.get("value") or "")
        if tenant is None:
            await _safe_respond(respond, blocks.NOT_CONNECTED)
            return
        services = self.channel.services
        if ref is None or not await asyncio.to_thread(
            services.conversations.has_turn, tenant, ref.conversation_id, ref.turn_id
        ):
            await _safe_respond(
                respond, "I can't find that answer any more, so I couldn't record your feedback."
            )
            return
        rating = "up" if action.get("action_id") == blocks.FEEDBACK_UP else "down"
        await asyncio.to_thread(
            services.feedback.add,
            tenant,
            conversation_id=ref.conversation_id,
            turn_id=ref.turn_id,
            user_id=f"slack:{where.team_id}:{where.user_id}",
            rating=rating,
            comment="",
            corrected_plan=None,
            audit_actor=f"slack:{where.team_id}",
        )
        await _ephemeral(client, where, "Thanks — your feedback was recorded.", respond)

    async def on_followup(
        self, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        where = _where(body)
        q = SlackQuestion(
            where.team_id,
            where.channel_id,
            where.user_id,
            action.get("value") or "",
            where.thread_ts,
            "button",
        )
        await self._ask(client, q, respond)


def _team(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("team_id") or event.get("team") or "")


class _Where:
    def __init__(self, team_id: str, channel_id: str, user_id: str, thread_ts: str | None) -> None:
        self.team_id, self.channel_id, self.user_id, self.thread_ts = team_id, channel_id, user_id, thread_ts


def _where(body: dict[str, Any]) -> _Where:
    message = body.get("message") or {}
    container = body.get("container") or {}
    return _Where(
        (body.get("team") or {}).get("id", ""),
        (body.get("channel") or {}).get("id", "") or container.get("channel_id", ""),
        (body.get("user") or {}).get("id", ""),
        message.get("thread_ts")
        or container.get("thread_ts")
        or message.get("ts")
        or container.get("message_ts"),
    )


async def _ephemeral(client: AsyncWebClient, where: _Where, text: str, respond: Respond) -> None:
    try:
        kwargs: dict[str, Any] = {"channel": where.channel_id, "user": where.user_id, "text": text}
        if where.thread_ts:
            kwargs["thread_ts"] = where.thread_ts
        await client.chat_postEphemeral(**kwargs)
    except SlackApiError as exc:
        log.warning("slack chat.postEphemeral failed: %s", exc.response.get("error"))
        await _safe_respond(respond, text)


async def _safe_respond(respond: Respond, text: str) -> None:
    try:
        await respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        log.warning("slack response_url failed", exc_info=True)
