"""The asyncio client (`zmq.asyncio`): `AsyncFeedClient` and `connect_async()`."""
from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator, Optional

import zmq
import zmq.asyncio

from .machine import FeedMachine


class AsyncFeedClient(FeedMachine):
    """The same state machine as FeedClient, on zmq.asyncio sockets: `await poll()` yields to the event loop while
    it waits.

        async with AsyncFeedClient("tcp://127.0.0.1:7601") as client:
            await client.wait_synchronized()
            async for update in client.updates():
                ...

    Arguments are those of FeedClient; `context` must be a zmq.asyncio.Context (default: one sharing the process's
    zmq.Context.instance())."""

    def _default_context(self):
        return zmq.asyncio.Context.shadow(zmq.Context.instance())

    async def poll(self, timeout: float = 0.1) -> list:
        """Waits up to `timeout` seconds for messages, processes all that arrived, then the timers; returns the
        updates applied, in order."""
        if self.closed:
            raise RuntimeError("the client is closed")
        applied = []
        poller = zmq.asyncio.Poller()
        poller.register(self.sub, zmq.POLLIN)
        poller.register(self.dealer, zmq.POLLIN)
        events = dict(await poller.poll(max(0, int(timeout * 1000))))
        if self.sub in events:
            while True:
                try:
                    frames = await self.sub.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                applied += self.on_sub(frames)
        # A resync above may have replaced the DEALER: only the one still current is read.
        while True:
            try:
                frames = await self.dealer.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            applied += self.on_snapshot(frames)
        self.check_timers()
        return applied

    async def updates(self, timeout: Optional[float] = None) -> AsyncIterator:
        """Yields every update applied, in order, until `timeout` seconds have passed (forever without one).
        Updates are applied a poll's batch at a time: when you stop iterating, the rest of the batch is in the state
        without having been yielded."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            for update in await self.poll(0.1 if deadline is None else
                                          min(0.1, max(0.0, deadline - time.monotonic()))):
                yield update

    async def wait_synchronized(self, timeout: float = 10.0, min_symbols: int = 0) -> "AsyncFeedClient":
        """Polls until a snapshot has been applied and holds at least `min_symbols` symbols; raises TimeoutError
        after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not (self.live and len(self.parameters) >= min_symbols):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if self.live:
                    raise TimeoutError(f"synchronized, but {len(self.parameters)} of at least {min_symbols} "
                                       f"symbols published within {timeout} s")
                raise TimeoutError(f"no snapshot from {self.snapshot_ep} within {timeout} s "
                                   f"(resyncs: {self.resyncs[-5:]})")
            await self.poll(min(0.1, remaining))
        return self

    async def run(self, stop: Optional[asyncio.Event] = None):
        """Keeps the state current until `stop` is set (or the task is cancelled), for code that only reads
        `parameters` / `to_pandas()` from other tasks."""
        while stop is None or not stop.is_set():
            await self.poll(0.1)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()


async def connect_async(publish: str, snapshot: Optional[str] = None, *, timeout: float = 10.0,
                        min_symbols: int = 1, **options) -> AsyncFeedClient:
    """An AsyncFeedClient already synchronized, holding at least `min_symbols` symbols (waits up to `timeout`
    seconds)."""
    client = AsyncFeedClient(publish, snapshot, **options)
    try:
        return await client.wait_synchronized(timeout, min_symbols)
    except BaseException:
        client.close()
        raise
