"""`ClientShares` on its own: a client's share, its queue, 429 past the queue,
first come first served within a client, other clients unaffected."""

from __future__ import annotations

import asyncio

import pytest

from kb.endpoint.fairness import ClientShares
from kb.errors import ServiceOverloadedError, TooManyRequestsError


def test_share_queue_and_refusal() -> None:
    async def scenario() -> list[str]:
        shares = ClientShares(per_client=1, queue=1)
        order: list[str] = []
        await shares.take("a", 1.0)  # runs
        waiting = asyncio.create_task(shares.take("a", 1.0))  # queued
        await asyncio.sleep(0)
        with pytest.raises(TooManyRequestsError):
            await shares.take("a", 1.0)  # past the queue
        await shares.take("b", 1.0)  # another client is not held up
        order.append("b ran")
        shares.give_back("a")
        await waiting
        order.append("queued a ran")
        shares.give_back("a")
        shares.give_back("b")
        assert shares.refused == 1
        assert shares._shares == {}  # nothing kept for idle clients
        return order

    assert asyncio.run(scenario()) == ["b ran", "queued a ran"]


def test_a_wait_past_the_deadline_is_overloaded_and_leaves_no_trace() -> None:
    async def scenario() -> None:
        shares = ClientShares(per_client=1, queue=4)
        await shares.take("a", 1.0)
        with pytest.raises(ServiceOverloadedError):
            await shares.take("a", 0.05)
        shares.give_back("a")
        assert shares._shares == {}

    asyncio.run(scenario())
