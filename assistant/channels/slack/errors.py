"""Errors of the Slack channel, in the project's one hierarchy (user's fault vs ours)."""

from __future__ import annotations

from guardrails.errors import UserError


class SlackLinkError(UserError):
    """An admin asked for a link that cannot exist (unknown tenant, malformed ids)."""

    code = "slack_link_invalid"
