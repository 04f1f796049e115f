"""The widget-token key a deployment without a configured secret generates: `serve --workers N`
starts its workers at once, and each must come up with the same, whole key (stop 25's CI: the
second worker died with FileExistsError, and a worker reading between create and write would sign
with an empty key)."""

from __future__ import annotations

import multiprocessing as mp
import stat
from pathlib import Path

from assistant.runtime.app_services import widget_secret
from assistant.runtime.settings import Settings

WORKERS = 8
ROUNDS = 30


def _start_together(data_dir: str, go: object, out: object) -> None:
    go.wait()  # type: ignore[attr-defined]
    try:
        out.put(widget_secret(Settings(data_dir=Path(data_dir))).decode())  # type: ignore[attr-defined]
    except Exception as exc:  # the test reports it
        out.put(f"error: {exc!r}")  # type: ignore[attr-defined]


def test_workers_starting_at_once_all_get_the_same_whole_key(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    for n in range(ROUNDS):
        data_dir = tmp_path / f"round-{n}"
        go, out = ctx.Event(), ctx.Queue()
        workers = [ctx.Process(target=_start_together, args=(str(data_dir), go, out)) for _ in range(WORKERS)]
        for w in workers:
            w.start()
        go.set()
        keys = [out.get(timeout=60) for _ in workers]
        for w in workers:
            w.join(timeout=60)
        assert not [k for k in keys if k.startswith("error")], keys
        assert len(set(keys)) == 1 and len(keys[0]) == 64, keys
        key_file = data_dir / "widget-token.key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert [p.name for p in data_dir.iterdir()] == ["widget-token.key"]  # no drafts left behind
        # a later start reads the same key
        assert widget_secret(Settings(data_dir=data_dir)).decode() == keys[0]
