"""The scheduler inside `mercurios serve`: a daemon thread calling `run_due` every interval.

Opt-in (`MERCURIOS_DIGEST_SCHEDULER=true`). Every API worker may run one: the claims make two
schedulers safe, so there is no leader election to get wrong. A failing pass is logged and the
next one tries again — a scheduler never takes the API down.
"""

from __future__ import annotations

import logging
import threading

from assistant.channels.digests.run_due import DigestRunner

log = logging.getLogger(__name__)


class DigestScheduler:
    def __init__(self, runner: DigestRunner, *, interval_s: float = 60.0) -> None:
        self.runner = runner
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="digest-scheduler", daemon=True)
        self.passes = 0

    def start(self) -> DigestScheduler:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout=timeout_s)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                summary = self.runner.run_due()
                if summary.outcomes:
                    log.info("digest scheduler: %d digest(s) handled", len(summary.outcomes))
            except Exception:
                log.exception("digest scheduler pass failed; retrying next interval")
            self.passes += 1
            self._stop.wait(self.interval_s)
