"""Work admitted per tenant, fairly: no tenant occupies every worker.

Every request that runs warehouse queries takes a slot of a queue, on the event loop, before it
takes a worker thread: direct warehouse work (`/v1/query`, a GraphQL `query` field, insights) in
one queue, questions (mostly planning, answering and storing, a short query in between) in
another with more slots (`ApiServices.warehouse_queue`, `.question_queue`). A queue has
`capacity` slots; one tenant holds at most `per_tenant` of them; the rest of its requests wait
in its own queue (at most `max_queued`, beyond that a 429), holding no thread. When a slot frees,
it goes to the waiting tenant that runs the fewest right now (ties in turn, round robin), so a
tenant that floods waits behind its own requests while another tenant's next request goes first.

Hand-written rather than a library: the scheduling is ~60 lines over asyncio futures, and the
per-tenant share, the round robin and the bounded queue are the whole point (asyncio's and
anyio's limiters are FIFO over every caller).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from assistant.runtime.web.errors import RateLimited


class FairQueue:
    def __init__(self, capacity: int, per_tenant: int, *, max_queued: int = 64) -> None:
        if capacity < 1 or per_tenant < 1:
            raise ValueError("capacity and per_tenant must be at least 1")
        self.capacity = capacity
        self.per_tenant = min(per_tenant, capacity)
        self.max_queued = max_queued
        self._running: dict[str, int] = {}
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    @property
    def in_use(self) -> int:
        return sum(self._running.values())

    def running(self, tenant_id: str) -> int:
        return self._running.get(tenant_id, 0)

    def queued(self, tenant_id: str) -> int:
        return len(self._waiting.get(tenant_id, ()))

    def _may_start(self, tenant_id: str) -> bool:
        return self.in_use < self.capacity and self.running(tenant_id) < self.per_tenant

    @asynccontextmanager
    async def slot(self, tenant_id: str) -> AsyncIterator[None]:
        """Waits for a slot of `tenant_id`'s share; holds it for the body."""
        await self.acquire(tenant_id)
        try:
            yield
        finally:
            self.release(tenant_id)

    async def acquire(self, tenant_id: str) -> None:
        """Waits for a slot; the caller must `release(tenant_id)` it (`slot` does both)."""
        if not self._waiting and self._may_start(tenant_id):
            self._running[tenant_id] = self.running(tenant_id) + 1
            return
        queue = self._waiting.setdefault(tenant_id, deque())
        if len(queue) >= self.max_queued:
            if not queue:
                del self._waiting[tenant_id]
            raise RateLimited(
                "too many of this tenant's requests are waiting for the warehouse; slow down",
                retry_after_s=1,
            )
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        self._dispatch()  # a slot may be free for this tenant (others are waiting on their share)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(tenant_id)  # granted as the caller left: hand the slot on
            else:
                self._forget(tenant_id, waiter)
            raise

    def release(self, tenant_id: str) -> None:
        left = self.running(tenant_id) - 1
        if left > 0:
            self._running[tenant_id] = left
        else:
            self._running.pop(tenant_id, None)
        self._dispatch()

    def _forget(self, tenant_id: str, waiter: asyncio.Future[None]) -> None:
        queue = self._waiting.get(tenant_id)
        if queue is not None and waiter in queue:
            queue.remove(waiter)
            if not queue:
                del self._waiting[tenant_id]

    def _dispatch(self) -> None:
        """Grants free slots: each to the waiting tenant running the fewest right now (ties: the one
        whose turn is oldest); a tenant served goes to the back of the turns."""
        while self.in_use < self.capacity:
            eligible = [t for t in self._waiting if self.running(t) < self.per_tenant]
            if not eligible:
                return
            tenant_id = min(eligible, key=self.running)  # min() keeps the earliest of equals
            queue = self._waiting[tenant_id]
            waiter = queue.popleft()
            if queue:
                self._waiting.move_to_end(tenant_id)
            else:
                del self._waiting[tenant_id]
            if waiter.done():  # cancelled while it waited
                continue
            self._running[tenant_id] = self.running(tenant_id) + 1
            waiter.set_result(None)
