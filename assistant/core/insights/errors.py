"""Errors of the insights: the user's (nothing to report on) — never a half-made report."""

from __future__ import annotations

from guardrails.errors import UserError


class NoDataForPeriodError(UserError):
    """The tenant has no sales in the period asked for (too early, too late, or nothing loaded)."""

    code = "no_data_for_period"


class InvalidPeriodError(UserError):
    code = "invalid_period"


class InsightsUnavailableError(UserError):
    """The dbt project declares none of the metrics a report is about (`kpi: sales`)."""

    code = "insights_unavailable"
