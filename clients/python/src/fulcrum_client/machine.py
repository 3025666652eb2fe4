"""The Clone-pattern state machine of protocols/README.md ("Client state machine"), shared by the sync and the
asyncio client. It does no waiting itself: a client feeds it the frames its sockets deliver and calls `check_timers`
at least every 100 ms.

Phases: syncing (a snapshot request is outstanding; updates are queued) and live. Every resync discards the queue
and sends a new request on a fresh DEALER, so the remainder of an abandoned reply can never be read as part of the
new one. Liveness is separate: any well-formed message on the SUB socket, or a snapshot end, is "heard".
"""
from __future__ import annotations

import time
from typing import Optional

import zmq

from . import codec
from .types import (Heartbeat, PortfolioUpdate, PublisherAlive, PublisherDead, Resync, RiskParameters,
                    SnapshotEnd, Synchronized)

ENCODINGS = ("protobuf", "json")
TOPICS = ("risk.", "portfolio", "hb")


def snapshot_endpoint_for(publish: str) -> str:
    """The snapshot endpoint by convention: the publish endpoint's port + 1."""
    host, port = publish.rsplit(":", 1)
    return f"{host}:{int(port) + 1}"


class FeedMachine:
    """State, sockets and transitions; subclasses provide the context and the waiting (poll).

    Public state: `parameters` (symbol → RiskParameters), `portfolio` (PortfolioUpdate or None), `epoch`, `sequence`
    (last update reflected), `live` (synchronized), `alive`, `snapshots` (snapshots applied), `resyncs` (reasons, in
    order), `events` (Synchronized, Resync, PublisherDead, PublisherAlive since the caller last emptied it)."""

    def __init__(self, publish: str, snapshot: Optional[str] = None, *, encoding: str = "protobuf",
                 dead_after: float = 3.0, snapshot_timeout: float = 2.0, max_queued: int = 100_000,
                 curve: Optional[tuple[bytes, bytes, bytes]] = None, topic_prefix: str = "", context=None):
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
        if not (dead_after > 0 and snapshot_timeout > 0 and max_queued > 0):
            raise ValueError("dead_after, snapshot_timeout and max_queued must be positive")
        self.ctx = context if context is not None else self._default_context()
        self.publish, self.snapshot_ep, self.encoding = publish, snapshot or snapshot_endpoint_for(publish), encoding
        self.prefix = codec.JSON_PREFIX if encoding == "json" else ""
        self.dead_after, self.snapshot_timeout, self.max_queued = dead_after, snapshot_timeout, max_queued
        self.curve, self.topic_prefix = curve, topic_prefix
        self.parameters: dict[str, RiskParameters] = {}
        self.portfolio: Optional[PortfolioUpdate] = None
        self.epoch: Optional[int] = None
        self.sequence = 0
        self.live, self.queue, self.items = False, [], []
        self.snapshots, self.resyncs, self.alive = 0, [], False
        self.decode_errors = 0
        self.events = []
        self.last_heard = time.monotonic()
        self.requested_at = self.last_heard
        self.closed = False
        self.sub = self._socket(zmq.SUB)
        for topic in TOPICS:
            self.sub.setsockopt(zmq.SUBSCRIBE, (self.prefix + topic).encode())
        self.sub.connect(publish)
        self.dealer = None
        self.request_snapshot()

    # Sockets ---------------------------------------------------------------------------------------------------

    def _default_context(self):
        return zmq.Context.instance()

    def _socket(self, kind):
        """Every socket of the client (override to add options such as ZMTP heartbeats)."""
        sock = self.ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        if self.curve:
            server_key, public, secret = self.curve
            sock.curve_serverkey, sock.curve_publickey, sock.curve_secretkey = server_key, public, secret
        return sock

    def request_snapshot(self):
        """Sends a snapshot request on a fresh DEALER (always: simpler than tracking whether one is outstanding)."""
        if self.dealer is not None:
            self.dealer.close()
        self.dealer = self._socket(zmq.DEALER)
        self.dealer.connect(self.snapshot_ep)
        self.dealer.send(codec.snapshot_request(self.encoding, self.topic_prefix), zmq.NOBLOCK)
        self.live, self.queue, self.items = False, [], []
        self.requested_at = time.monotonic()

    def close(self):
        if not self.closed:
            self.closed = True
            self.sub.close()
            if self.dealer is not None:
                self.dealer.close()

    # Transitions -----------------------------------------------------------------------------------------------

    def resync(self, reason: str):
        self.resyncs.append(reason)
        self.events.append(Resync(reason))
        self.request_snapshot()

    def heard(self):
        self.last_heard = time.monotonic()
        if not self.alive:
            self.alive = True
            self.events.append(PublisherAlive())

    def apply(self, update):
        if isinstance(update, PortfolioUpdate):
            self.portfolio = update
        else:
            self.parameters[update.symbol] = update

    def on_update(self, update, seq: int) -> list:
        """An update from the SUB socket; returns the updates applied."""
        if not self.live:
            if len(self.queue) >= self.max_queued:
                self.resync("backlog_overflow")
            else:
                self.queue.append((seq, update))
            return []
        if update.publisher_epoch != self.epoch:
            self.resync("new_epoch")
            return []
        if seq <= self.sequence:
            return []
        if seq != self.sequence + 1:
            self.resync("gap")
            return []
        self.sequence = seq
        self.apply(update)
        return [update]

    def on_heartbeat(self, heartbeat: Heartbeat):
        """A heartbeat's sequence is the publisher's last update: being behind it means a loss."""
        if not self.live:
            return
        if heartbeat.publisher_epoch != self.epoch:
            self.resync("new_epoch")
        elif heartbeat.sequence > self.sequence:
            self.resync("heartbeat_ahead")

    def on_sub(self, frames) -> list:
        """One message from the SUB socket; returns the updates applied."""
        if len(frames) != 3 or len(frames[2]) != 8:
            return []
        seq = codec.read_sequence(frames[2])
        self.heard()
        try:
            message = codec.decode(frames[0], frames[1])
        except codec.DecodeError:
            # Its sequence number is lost with it: the next update shows the gap and the state is resynchronized.
            self.decode_errors += 1
            return []
        if isinstance(message, Heartbeat):
            self.on_heartbeat(message)
        elif isinstance(message, (RiskParameters, PortfolioUpdate)):
            return self.on_update(message, seq)
        return []

    def on_snapshot(self, frames) -> list:
        """One message of the snapshot reply; at its end returns the updates applied (snapshot, then queued)."""
        if len(frames) != 3:
            return []
        try:
            message = codec.decode(frames[0], frames[1])
        except codec.DecodeError:
            self.decode_errors += 1
            return []
        if self.live:
            return []
        if not isinstance(message, SnapshotEnd):
            if isinstance(message, (RiskParameters, PortfolioUpdate)):
                self.items.append(message)
            return []
        self.heard()
        applied, nxt = list(self.items), message.sequence
        for seq, update in self.queue:
            if seq <= message.sequence or update.publisher_epoch != message.publisher_epoch:
                continue
            if seq != nxt + 1:
                self.resync("gap")
                return []
            applied.append(update)
            nxt = seq
        self.parameters, self.portfolio = {}, None
        for update in applied:
            self.apply(update)
        self.epoch, self.sequence, self.live = message.publisher_epoch, nxt, True
        self.queue, self.items = [], []
        self.snapshots += 1
        self.events.append(Synchronized(self.epoch, self.sequence, len(self.parameters)))
        return applied

    def check_timers(self):
        """The dead-publisher and snapshot-timeout timers (call at least every 100 ms)."""
        now = time.monotonic()
        if self.alive and now - self.last_heard > self.dead_after:
            self.alive = False
            self.events.append(PublisherDead(round(now - self.last_heard, 3)))
        if not self.live and now - self.requested_at > self.snapshot_timeout:
            self.resync("snapshot_timeout")

    # Views -----------------------------------------------------------------------------------------------------

    def take_events(self) -> list:
        """The events since the last call (and empties the list)."""
        events, self.events = self.events, []
        return events

    @property
    def stale(self) -> bool:
        """Whether the state may be behind the publisher: not synchronized, or the publisher is not heard."""
        return not (self.live and self.alive)

    def to_pandas(self):
        """The current parameters as a pandas DataFrame, one row per symbol (see fulcrum_client.frame)."""
        from .frame import parameters_frame

        frame = parameters_frame(self.parameters.values())
        frame.attrs.update(epoch=self.epoch, sequence=self.sequence, synchronized=self.live, alive=self.alive)
        return frame

    def tiers_to_pandas(self):
        """Every symbol's margin tiers as a DataFrame, one row per (symbol, tier)."""
        from .frame import tiers_frame

        return tiers_frame(self.parameters.values())

    def portfolio_margin(self, positions: dict[str, float]):
        """Portfolio margin of signed notionals {symbol: notional} from the current state (fulcrum_client.margin)."""
        from .margin import portfolio_margin

        return portfolio_margin(self.parameters, self.portfolio, positions)
