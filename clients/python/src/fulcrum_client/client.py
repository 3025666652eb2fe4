"""The blocking client: `FeedClient` and `connect()`."""
from __future__ import annotations

import time
from typing import Iterator, Optional

import zmq

from .machine import FeedMachine


class FeedClient(FeedMachine):
    """A consumer of Fulcrum's risk feed, synchronous: nothing happens between calls to `poll` (or `updates`,
    `wait_synchronized`), so call one of them at least every 100 ms while you rely on the state.

        client = FeedClient("tcp://127.0.0.1:7601")        # snapshot endpoint: port + 1 unless given
        client.wait_synchronized()
        for update in client.updates(): ...                 # RiskParameters and PortfolioUpdate, in sequence

    Arguments: `snapshot` endpoint; `encoding` "protobuf" (default) or "json"; `dead_after` seconds of silence
    before the publisher is reported dead (default 3); `snapshot_timeout` seconds before a snapshot request is
    repeated on a fresh socket (default 2); `max_queued` updates held while syncing; `curve` (server public key,
    client public key, client secret key) as Z85 bytes; `context` a zmq.Context (default: the shared instance)."""

    def poll(self, timeout: float = 0.1) -> list:
        """Waits up to `timeout` seconds for messages, processes all that arrived, then the timers; returns the
        updates applied (RiskParameters and PortfolioUpdate), in order. Events are appended to `events`."""
        if self.closed:
            raise RuntimeError("the client is closed")
        applied = []
        poller = zmq.Poller()
        poller.register(self.sub, zmq.POLLIN)
        poller.register(self.dealer, zmq.POLLIN)
        events = dict(poller.poll(max(0, int(timeout * 1000))))
        if self.sub in events:
            while True:
                try:
                    frames = self.sub.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                applied += self.on_sub(frames)
        # A resync above may have replaced the DEALER: only the one still current is read.
        while True:
            try:
                frames = self.dealer.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            applied += self.on_snapshot(frames)
        self.check_timers()
        return applied

    def updates(self, timeout: Optional[float] = None) -> Iterator:
        """Yields every update applied, in order (snapshot contents included), until `timeout` seconds have passed
        (forever without one). Events accumulate in `events` meanwhile. Updates are applied a poll's batch at a
        time: when you stop iterating, the rest of the batch is in the state without having been yielded."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            yield from self.poll(0.1 if deadline is None else min(0.1, max(0.0, deadline - time.monotonic())))

    def wait_synchronized(self, timeout: float = 10.0, min_symbols: int = 0) -> "FeedClient":
        """Polls until a snapshot has been applied (the state is live) and it holds at least `min_symbols`
        symbols; raises TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not (self.live and len(self.parameters) >= min_symbols):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if self.live:
                    raise TimeoutError(f"synchronized, but {len(self.parameters)} of at least {min_symbols} "
                                       f"symbols published within {timeout} s")
                raise TimeoutError(f"no snapshot from {self.snapshot_ep} within {timeout} s "
                                   f"(resyncs: {self.resyncs[-5:]})")
            self.poll(min(0.1, remaining))
        return self

    def refresh(self, timeout: float = 0.0) -> "FeedClient":
        """Processes what has arrived (waiting up to `timeout` seconds): brings the state up to date."""
        self.poll(timeout)
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def connect(publish: str, snapshot: Optional[str] = None, *, timeout: float = 10.0, min_symbols: int = 1,
            **options) -> FeedClient:
    """A FeedClient already synchronized: subscribes, asks for the snapshot and waits (`timeout` seconds) until
    it holds at least `min_symbols` symbols (a Fulcrum that has just started may not have published any yet).

        import fulcrum_client
        client = fulcrum_client.connect("tcp://127.0.0.1:7601")
        print(client.to_pandas())
    """
    client = FeedClient(publish, snapshot, **options)
    try:
        return client.wait_synchronized(timeout, min_symbols)
    except BaseException:
        client.close()
        raise
