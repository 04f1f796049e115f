"""Cancelling a question whose client went away, down to the running warehouse statement.

`CancelScope` is the `threading.Event` the engine checks between stages, plus callbacks run the
moment it is set. `CancellableWarehouse` wraps the real warehouse: it refuses to start a statement
in a cancelled scope and, while one runs, registers the statement's interrupt (DuckDB's
`cursor.interrupt`) with the scope, so a disconnect stops the query on the warehouse side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assistant.core.engine import raise_if_cancelled
from guardrails.guarded_sql import GuardedSql
from semantic_layer.protocols import QueryResult, Warehouse


class CancelScope(threading.Event):
    def __init__(self) -> None:
        super().__init__()
        self._callbacks: list[Callable[[], None]] = []
        self._cb_lock = threading.Lock()

    def set(self) -> None:
        with self._cb_lock:
            callbacks, self._callbacks = self._callbacks, []
        super().set()
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Runs `callback` when cancelled (at once if already); returns an unregister function."""
        with self._cb_lock:
            if not self.is_set():
                self._callbacks.append(callback)

                def unregister() -> None:
                    with self._cb_lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return unregister
        callback()
        return lambda: None


_current = threading.local()


def bind_scope(scope: CancelScope | None) -> None:
    """Binds the scope to this thread (the API runs each question on its own worker thread)."""
    _current.scope = scope


def current_scope() -> CancelScope | None:
    scope = getattr(_current, "scope", None)
    return scope if isinstance(scope, CancelScope) else None


class CancellableWarehouse:
    def __init__(self, inner: Warehouse) -> None:
        self.inner = inner

    @property
    def dialect(self) -> str:
        return self.inner.dialect

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        scope = current_scope()
        raise_if_cancelled(scope)
        if scope is None:
            return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        unregister = scope.on_cancel(_interrupter(self.inner))
        try:
            return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        finally:
            unregister()


def _interrupter(warehouse: Warehouse) -> Callable[[], None]:
    """The interrupt of the statement this thread is about to run.

    DuckDbWarehouse keeps one cursor per thread and interrupts it on timeout; it has no public
    interrupt hook yet, so this reaches for its per-thread cursor (asked upstream in the report).
    Other warehouses are stopped between statements only.
    """
    cursor_of = getattr(warehouse, "_cursor", None)
    if callable(cursor_of):
        cursor = cursor_of()
        interrupt = getattr(cursor, "interrupt", None)
        if callable(interrupt):
            return lambda: interrupt()
    return lambda: None
