"""The warehouse's fair queue: a tenant's share, turns between tenants, a bounded wait."""

from __future__ import annotations

import asyncio

import pytest

from assistant.runtime.fair_queue import FairQueue
from assistant.runtime.web.errors import RateLimited


async def _started(queue: FairQueue, tenant: str, log: list[str], release: asyncio.Event) -> None:
    async with queue.slot(tenant):
        log.append(tenant)
        await release.wait()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_a_flooding_tenant_holds_its_share_and_another_tenant_goes_first() -> None:
    async def scenario() -> list[str]:
        queue = FairQueue(capacity=3, per_tenant=2)
        log: list[str] = []
        release = {t: asyncio.Event() for t in ("a1", "a2", "a3", "a4", "b1", "c1")}
        tasks = [asyncio.create_task(_started(queue, "A", log, release[f"a{i}"])) for i in range(1, 5)]
        await _settle()
        assert log == ["A", "A"] and queue.queued("A") == 2  # A's share is 2 of the 3 slots
        tasks.append(asyncio.create_task(_started(queue, "B", log, release["b1"])))
        await _settle()
        assert log == ["A", "A", "B"]  # B takes the free slot at once, ahead of A's waiting two
        tasks.append(asyncio.create_task(_started(queue, "C", log, release["c1"])))
        await _settle()
        assert log == ["A", "A", "B"] and queue.queued("C") == 1  # every slot busy: C waits
        release["a1"].set()  # a slot frees: C has waited its turn, A just had its
        await _settle()
        assert log == ["A", "A", "B", "C"]
        release["b1"].set()  # B is done, C at one: A's next is the only one left that may start
        await _settle()
        assert log == ["A", "A", "B", "C", "A"]
        for event in release.values():
            event.set()
        await asyncio.gather(*tasks)
        assert queue.in_use == 0 and queue.queued("A") == 0
        return log

    assert asyncio.run(scenario()) == ["A", "A", "B", "C", "A", "A"]


def test_a_full_queue_refuses_with_429_and_a_cancelled_wait_frees_its_place() -> None:
    async def scenario() -> None:
        queue = FairQueue(capacity=1, per_tenant=1, max_queued=2)
        log: list[str] = []
        release = asyncio.Event()
        holder = asyncio.create_task(_started(queue, "A", log, release))
        waiting = [asyncio.create_task(_started(queue, "A", log, release)) for _ in range(2)]
        await _settle()
        with pytest.raises(RateLimited):
            await queue.acquire("A")
        waiting[0].cancel()
        await _settle()
        assert queue.queued("A") == 1
        release.set()
        await asyncio.gather(holder, waiting[1])
        assert log == ["A", "A"] and queue.in_use == 0

    asyncio.run(scenario())
