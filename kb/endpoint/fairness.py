"""Each client's share of the query workers.

A client (its address, as the trusted proxy reports it) runs at most
`per_client` queries at once; by default one fewer than there are workers, so
a client that sends as many slow queries as there are workers still leaves a
worker to everybody else. Its further queries wait in its own queue, not in
front of other clients, and the wait counts against their deadline; a query
that finds that queue full (`queue` waiting already) is answered 429 with
`Retry-After` at once. Answers served from the result cache take no share.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kb.errors import ServiceOverloadedError, TooManyRequestsError


@dataclass
class _Share:
    slots: asyncio.Semaphore
    waiting: int = 0
    holders: int = 0


class ClientShares:
    def __init__(self, per_client: int, queue: int) -> None:
        self.per_client = per_client
        self.queue = queue
        self.refused = 0
        self._shares: dict[str, _Share] = {}

    async def take(self, client: str, timeout: float) -> None:
        """Wait (at most `timeout` s) until `client` may run one more query."""
        share = self._shares.get(client)
        if share is None:
            share = self._shares[client] = _Share(asyncio.Semaphore(self.per_client))
        if share.slots.locked() and share.waiting >= self.queue:
            self.refused += 1
            raise TooManyRequestsError(
                f"this client runs {self.per_client} queries, its share of the endpoint "
                f"(client_concurrency), and has {share.waiting} more waiting "
                "(client_queue); retry when one has finished"
            )
        if not share.slots.locked():
            await share.slots.acquire()  # free: taken at once, without yielding
            share.holders += 1
            return
        share.waiting += 1
        try:
            await asyncio.wait_for(share.slots.acquire(), timeout)
        except TimeoutError as exc:
            raise ServiceOverloadedError(
                f"this client's earlier queries held its share for {timeout:.1f} s; try again later"
            ) from exc
        else:
            share.holders += 1
        finally:
            share.waiting -= 1
            self._forget_if_idle(client, share)

    def give_back(self, client: str) -> None:
        share = self._shares[client]
        share.holders -= 1
        share.slots.release()
        self._forget_if_idle(client, share)

    def _forget_if_idle(self, client: str, share: _Share) -> None:
        if share.holders == 0 and share.waiting == 0:
            self._shares.pop(client, None)
