"""Posting a digest to a Slack channel: checked, then one message, then its charts in the thread.

Before anything is posted: the channel must be the subscription's tenant's (`digest_targets.py`),
and the bot token — the workspace's installation, or the single-workspace token — must belong to
that workspace (`auth.test`). Then `chat.postMessage` (Block Kit) and the chart PNGs through the
external upload (files upload v2) as a reply in the message's thread.

Outcomes, as the runner records them:
- refused: `DestinationRefusedError` — another tenant's channel, a token of another workspace;
- permanent channel errors (`channel_not_found`, `not_in_channel`, `is_archived`, …):
  `RecipientRejectedError` — retrying would fail the same way until someone acts;
- `ratelimited` (HTTP 429): waited out (Retry-After, bounded) and retried; after that a
  `DeliveryError` carrying Retry-After, so the claim's retry comes no earlier;
- invalid or revoked tokens, no installation, network errors, Slack 5xx: `DeliveryError` (the
  claim is retried with backoff — reinstalling the app fixes a token).
Once the message is posted the digest counts as sent: a failed chart upload is noted, never a
reason to post the message a second time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.slack_response import SlackResponse

from assistant.channels.slack.digest_blocks import SlackDigest, slack_digest
from assistant.channels.slack.installation_store import SqlInstallationStore
from assistant.core.insights.model import InsightReport
from assistant.runtime.ask_links import AskLink
from assistant.runtime.digests.errors import DeliveryError, DestinationRefusedError, RecipientRejectedError
from assistant.runtime.digests.slack_targets import SlackTargets
from assistant.runtime.digests.subscriptions import Subscription
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.secret_box import SecretBox, app_secret_box
from assistant.runtime.settings import Settings

log = logging.getLogger("mercurios.slack")

CHANNEL_ERRORS = {
    "channel_not_found": "the channel does not exist, or it is private and the bot is not in it",
    "not_in_channel": "the bot is not in the channel: invite it with /invite @Mercurios",
    "is_archived": "the channel is archived",
    "restricted_action": "the workspace does not allow the bot to post there",
    "restricted_action_read_only_channel": "the channel is read-only",
    "team_access_not_granted": "the bot has no access to this workspace",
}
AUTH_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "missing_scope",
    "no_permission",
}


def _retry_after(response: SlackResponse) -> float:
    headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
    raw = headers.get("retry-after")
    value = raw[0] if isinstance(raw, list) else raw
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0


class SlackDigestSender:
    def __init__(
        self,
        db: Database,
        *,
        box: SecretBox,
        api_url: str,
        bot_token: str | None = None,
        retries: int = 2,
        backoff_s: float = 1.0,
        max_wait_s: float = 30.0,
        timeout_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.db = db
        self.targets = SlackTargets(db)
        self.installations = SqlInstallationStore(db, box)
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.bot_token = bot_token
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.timeout_s = timeout_s
        self.sleep = sleep

    def deliver(
        self,
        sub: Subscription,
        report: InsightReport,
        *,
        ask_link: AskLink,
        unsubscribe_url: str,
        cadence_word: str,
        summary: str,
    ) -> str:
        """The digest runner's `SlackTransport`: the report as Slack blocks (charts drawn first), sent."""
        digest = slack_digest(
            report,
            ask_link=ask_link,
            unsubscribe_url=unsubscribe_url,
            cadence_word=cadence_word,
            summary=summary,
        )
        return self.send(sub, digest)

    def send(self, sub: Subscription, digest: SlackDigest) -> str:
        """Posts the digest; returns what was done (for the record). Raises our delivery errors."""
        self.targets.check(sub.tenant_id, sub.slack_team, sub.slack_channel)
        if digest.tenant_id != sub.tenant_id:
            raise DestinationRefusedError("the digest is not of the subscription's tenant")
        team, channel = str(sub.slack_team), str(sub.slack_channel)
        client = WebClient(token=self._token(team), base_url=self.api_url, timeout=int(self.timeout_s))
        auth = self._call("auth.test", team, channel, client.auth_test)
        if auth.get("team_id") != team:
            raise DestinationRefusedError(
                f"the bot token belongs to workspace {auth.get('team_id')!s:.32}, not to {team}"
            )
        posted = self._call(
            "chat.postMessage",
            team,
            channel,
            client.chat_postMessage,
            channel=channel,
            text=digest.text,
            blocks=list(digest.blocks),
            unfurl_links=False,
            unfurl_media=False,
        )
        ts = str(posted.get("ts") or "")
        detail = f"posted to Slack channel {channel} of {team} (ts {ts})"
        if not digest.charts:
            return detail
        try:
            self._call(
                "files.upload",
                team,
                channel,
                client.files_upload_v2,
                file_uploads=[
                    {
                        "content": c.png,
                        "filename": c.filename,
                        "title": c.title,
                        "alt_txt": (c.alt or c.title)[:1000],
                    }
                    for c in digest.charts
                ],
                channel=channel,
                thread_ts=ts,
                request_file_info=False,
            )
        except (DeliveryError, RecipientRejectedError) as exc:
            log.warning("digest %s: chart upload failed: %s", sub.subscription_id, exc.message)
            return f"{detail}; charts not uploaded: {exc.message}"
        return f"{detail}; {len(digest.charts)} chart(s) in the thread"

    def _token(self, team: str) -> str:
        bot = self.installations.find_bot(None, team)
        if bot is not None and bot.bot_token:
            return str(bot.bot_token)
        if self.bot_token:
            return self.bot_token  # single-workspace mode: auth.test proves it is this workspace's
        raise DeliveryError(
            f"no Slack bot is installed for workspace {team}: install the app via /slack/install",
            code="slack_not_installed",
        )

    def _call(
        self, method: str, team: str, target: str, fn: Callable[..., SlackResponse], /, **kwargs: Any
    ) -> SlackResponse:
        for attempt in range(1, self.retries + 2):
            try:
                return fn(**kwargs)
            except SlackApiError as exc:
                error = str(exc.response.get("error") or "unknown")
                if error == "ratelimited" or exc.response.status_code == 429:
                    wait = _retry_after(exc.response)
                    if attempt <= self.retries and wait <= self.max_wait_s:
                        self.sleep(wait)
                        continue
                    raise DeliveryError(
                        f"Slack rate-limited {method} (ratelimited, Retry-After {wait:g} s) "
                        f"after {attempt} attempt(s)",
                        code="slack_ratelimited",
                        retry_after_s=wait,
                    ) from exc
                if error in CHANNEL_ERRORS:
                    raise RecipientRejectedError(
                        f"Slack refused {method} to channel {target} ({error}): {CHANNEL_ERRORS[error]}",
                        code="slack_channel_refused",
                    ) from exc
                if error in AUTH_ERRORS:
                    raise DeliveryError(
                        f"Slack refused the bot token of workspace {team} ({error}): "
                        "reinstall the app via /slack/install",
                        code="slack_auth_failed",
                    ) from exc
                if exc.response.status_code >= 500 and attempt <= self.retries:
                    self.sleep(self.backoff_s * 2 ** (attempt - 1))
                    continue
                raise DeliveryError(f"Slack refused {method} ({error})", code="slack_failed") from exc
            except (OSError, SlackClientError) as exc:
                if attempt <= self.retries:
                    self.sleep(self.backoff_s * 2 ** (attempt - 1))
                    continue
                raise DeliveryError(
                    f"Slack unreachable at {self.api_url} for {method} after {attempt} attempts: {exc}",
                    code="slack_unavailable",
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover


def slack_digest_sender(settings: Settings, db: Database) -> SlackDigestSender | None:
    """The sender when the Slack app is set up (OAuth client or a bot token), else None: digests
    to Slack then fail with a message saying so. The composition roots (`mercurios serve`,
    `mercurios digest run-due`) hand it to the digest runner."""
    if not (settings.slack.client_id or settings.slack.bot_token):
        return None
    return SlackDigestSender(
        db,
        box=app_secret_box(settings),
        api_url=settings.slack.api_url,
        bot_token=settings.slack.bot_token.get_secret_value() if settings.slack.bot_token else None,
    )
