"""`mercurios bench digest-detectors`: the events it plants are what it says, and it runs end to
end and prints its table (a smoke run: one small tenant, eight weeks). Its figures — recall, false
alarms, rank — are printed for a reader, never asserted: they are the benchmark's, not a test's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.core.insights.model import InsightKind
from eval.bench.digest_detectors import KIND_NAMES, SLOT_WEEKS, digest_weeks, plan_events, subject_of
from ingestion.demo import TENANT_PROFILES
from ingestion.demo.anomalies import AnomalyKind


def test_planted_events_one_per_slot_every_kind_inside_its_weeks() -> None:
    profile = TENANT_PROFILES["nordwind-fashion"]
    mondays = digest_weeks(dt.date(2026, 10, 31), 52)
    assert mondays[-1] == dt.date(2026, 10, 19) and all(m.weekday() == 0 for m in mondays)
    events = plan_events(profile, mondays, np.random.default_rng(7))
    assert len(events) == 52 // SLOT_WEEKS
    assert {e.kind for e in events} == set(KIND_NAMES)  # every kind, in turn
    stores = {b.name for b in profile.branches}
    categories = {c.name for c in profile.categories}
    for n, e in enumerate(events):
        slot = mondays[n * SLOT_WEEKS : (n + 1) * SLOT_WEEKS]
        assert slot[0] <= e.start <= e.end < slot[-1] + dt.timedelta(days=7), e  # stays in its slot
        kind, subject = subject_of(profile, e)
        if e.kind is AnomalyKind.STOCK_OUT:
            assert kind is InsightKind.STOCK_RISK and subject.split(" / ")[1] in categories
        elif e.kind in (AnomalyKind.STORE_CLOSURE, AnomalyKind.ONLINE_OUTAGE):
            assert kind is InsightKind.ANOMALY and subject in stores
        else:
            assert subject in categories
    again = plan_events(profile, mondays, np.random.default_rng(7))
    assert again == events  # a seed gives the same events


def test_the_benchmark_runs_and_prints_its_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "digest-detectors", "--seed", "5", "--scale", "0.02", "--weeks", "8",
         "--tenant", "casa-living", "--workdir", str(tmp_path / "bench")],
    )  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    out = result.output
    assert (
        "Digest detector benchmark — seed 5, scale 0.02, 8 weekly digests (1 tenants), 2 planted events"
        in out
    )
    assert "recall" in out and "top-3 %" in out
    assert [ln.split()[0] for ln in out.splitlines() if ln.startswith("all ")] == ["all"]
    assert "false alarms:" in out and "per digest" in out and out.count("targets: recall >= 90 %") == 1
