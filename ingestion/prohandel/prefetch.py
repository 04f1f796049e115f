"""Fetch the next page while the current one is validated and landed.

The API's time to build a page and the connector's time to validate and land the previous one
are independent, so they can overlap: a background thread pulls pages from the client's iterator
into a queue of `depth` pages. Only that thread touches the client while the iteration runs. An
error in the thread (after the client's own retries) is re-raised in the consumer at the point
the failed page would have arrived; if the consumer stops early, the thread is told to stop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


def prefetched(source: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield `source`'s items in order, fetched up to `depth` ahead in a background thread."""
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in source:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put(_Failure(exc))
            return
        put(_DONE)

    thread = threading.Thread(target=run, name="prohandel-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join(timeout=30)


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
