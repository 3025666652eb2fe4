"""The client state machine of protocols/README.md, transition by transition, against a scripted publisher (an XPUB
and a ROUTER on loopback that send exactly what each test says)."""
import asyncio
import time

import pytest
import zmq

from fulcrum_client import (AsyncFeedClient, FeedClient, PublisherAlive, PublisherDead, Resync, Synchronized)
from fulcrum_client.codec import sequence_frame
from fulcrum_client.proto import risk_pb2
from conftest import free_ports

E1, E2 = 1796622852392719613, 1796622852392719999


class ScriptedPublisher:
    def __init__(self):
        self.context = zmq.Context()
        self.pub = self.context.socket(zmq.XPUB)
        self.router = self.context.socket(zmq.ROUTER)
        for sock in (self.pub, self.router):
            sock.setsockopt(zmq.LINGER, 0)
        publish, snapshot = free_ports(2)
        self.publish, self.snapshot = f"tcp://127.0.0.1:{publish}", f"tcp://127.0.0.1:{snapshot}"
        self.pub.bind(self.publish)
        self.router.bind(self.snapshot)
        self.subscriptions = set()

    def close(self):
        self.pub.close()
        self.router.close()
        self.context.term()

    def wait_subscribed(self, client, topics=(b"risk.", b"portfolio", b"hb")):
        deadline = time.monotonic() + 5
        while not set(topics) <= self.subscriptions:
            assert time.monotonic() < deadline, "the client never subscribed"
            if self.pub.poll(20):
                message = self.pub.recv()
                if message[:1] == b"\x01":
                    self.subscriptions.add(message[1:])
            client.poll(0)

    def request(self, client, timeout=5.0):
        """The next snapshot request: (identity, SnapshotRequest), polling the client meanwhile."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.router.poll(10):
                identity, payload = self.router.recv_multipart()
                return identity, risk_pb2.SnapshotRequest.FromString(payload)
            client.poll(0.01)
        raise AssertionError("no snapshot request")

    def reply(self, identity, epoch, sequence, symbols=()):
        for symbol, imf in symbols:
            self.router.send_multipart([identity, f"risk.{symbol}".encode(), risk(symbol, epoch, imf),
                                        sequence_frame(sequence)])
        end = risk_pb2.SnapshotEnd(publisher_epoch=epoch, sequence=sequence, count=len(symbols))
        self.router.send_multipart([identity, b"snapshot.end", end.SerializeToString(), sequence_frame(sequence)])

    def update(self, symbol, epoch, sequence, imf=0.1):
        self.pub.send_multipart([f"risk.{symbol}".encode(), risk(symbol, epoch, imf), sequence_frame(sequence)])

    def heartbeat(self, epoch, sequence):
        beat = risk_pb2.Heartbeat(publisher_epoch=epoch, sequence=sequence, interval_ms=500)
        self.pub.send_multipart([b"hb", beat.SerializeToString(), sequence_frame(sequence)])


def risk(symbol, epoch, imf):
    return risk_pb2.RiskParameters(symbol=symbol, publisher_epoch=epoch, imf=imf, mmf=imf / 2).SerializeToString()


def settle(client, condition=lambda: False, seconds=0.3):
    """Polls for `seconds` (or until condition holds); returns the events reported meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        client.poll(0.02)
    return client.take_events()


@pytest.fixture
def publisher():
    server = ScriptedPublisher()
    yield server
    server.close()


def synchronized_client(publisher, epoch=E1, sequence=10, **options):
    client = FeedClient(publisher.publish, publisher.snapshot, **options)
    publisher.wait_subscribed(client)
    identity, request = publisher.request(client)
    assert request.encoding == risk_pb2.ENCODING_PROTOBUF and request.topic_prefix == ""
    publisher.reply(identity, epoch, sequence, [("BTC", 0.1), ("ETH", 0.2)])
    settle(client, lambda: client.live, 5)
    assert client.live and client.epoch == epoch and client.sequence == sequence
    client.take_events()
    return client


def test_queued_updates_newer_than_the_snapshot_are_applied_in_order(publisher):
    client = FeedClient(publisher.publish, publisher.snapshot)
    publisher.wait_subscribed(client)
    identity, _ = publisher.request(client)
    for sequence, symbol in ((10, "BTC"), (11, "ETH"), (12, "SOL")):
        publisher.update(symbol, E1, sequence, imf=0.3)
    settle(client, lambda: len(client.queue) == 3, 5)
    publisher.reply(identity, E1, 10, [("BTC", 0.1), ("ETH", 0.2)])
    events = settle(client, lambda: client.live, 5)
    assert Synchronized(E1, 12, 3) in events and client.sequence == 12
    assert client.parameters["BTC"].imf == 0.1  # 10 is in the snapshot: the queued copy is not applied again
    assert client.parameters["ETH"].imf == 0.3 and client.parameters["SOL"].imf == 0.3
    client.close()


def test_live_updates_duplicates_and_gaps(publisher):
    client = synchronized_client(publisher)
    publisher.update("BTC", E1, 11, imf=0.5)
    publisher.update("BTC", E1, 11, imf=0.9)  # a duplicate: ignored
    publisher.update("ETH", E1, 10, imf=0.9)  # older: ignored
    settle(client, lambda: client.sequence == 11, 5)
    settle(client)
    assert client.parameters["BTC"].imf == 0.5 and client.parameters["ETH"].imf == 0.2 and client.resyncs == []
    publisher.update("BTC", E1, 13)  # 12 lost
    events = settle(client, lambda: client.resyncs, 5)
    assert Resync("gap") in events and not client.live
    identity, _ = publisher.request(client)  # asked again, on a fresh DEALER
    assert client.parameters["BTC"].imf == 0.5  # the visible state is kept until the new snapshot replaces it
    publisher.reply(identity, E1, 13, [("BTC", 0.7)])
    events = settle(client, lambda: client.live, 5)
    assert Synchronized(E1, 13, 1) in events and set(client.parameters) == {"BTC"}
    client.close()


def test_heartbeats_ahead_or_of_another_epoch_resync(publisher):
    client = synchronized_client(publisher)
    publisher.heartbeat(E1, 10)  # in step: nothing
    settle(client)
    assert client.resyncs == []
    publisher.heartbeat(E1, 11)  # update 11 was lost
    settle(client, lambda: client.resyncs, 5)
    assert client.resyncs == ["heartbeat_ahead"]
    identity, _ = publisher.request(client)
    publisher.reply(identity, E1, 11, [("BTC", 0.1)])
    settle(client, lambda: client.live, 5)
    publisher.heartbeat(E2, 0)  # a restart
    settle(client, lambda: len(client.resyncs) == 2, 5)
    assert client.resyncs == ["heartbeat_ahead", "new_epoch"]
    identity, _ = publisher.request(client)
    publisher.reply(identity, E2, 0)
    events = settle(client, lambda: client.live, 5)
    assert Synchronized(E2, 0, 0) in events and client.epoch == E2 and client.parameters == {}
    client.close()


def test_update_of_another_epoch_resyncs(publisher):
    client = synchronized_client(publisher)
    publisher.update("BTC", E2, 1)
    settle(client, lambda: client.resyncs, 5)
    assert client.resyncs == ["new_epoch"]
    client.close()


def test_unanswered_request_is_repeated_on_a_fresh_socket(publisher):
    client = FeedClient(publisher.publish, publisher.snapshot, snapshot_timeout=0.3)
    publisher.wait_subscribed(client)
    first, _ = publisher.request(client)
    second, _ = publisher.request(client, timeout=3)
    assert first != second and client.resyncs == ["snapshot_timeout"]
    publisher.reply(first, E1, 5, [("OLD", 0.9)])  # a late answer to the abandoned request is never read
    publisher.reply(second, E1, 6, [("BTC", 0.1)])
    events = settle(client, lambda: client.live, 5)
    assert Synchronized(E1, 6, 1) in events and set(client.parameters) == {"BTC"}
    client.close()


def test_backlog_overflow_while_syncing(publisher):
    client = FeedClient(publisher.publish, publisher.snapshot, max_queued=2)
    publisher.wait_subscribed(client)
    publisher.request(client)
    for sequence in (1, 2, 3):
        publisher.update("BTC", E1, sequence)
    settle(client, lambda: client.resyncs, 5)
    assert client.resyncs == ["backlog_overflow"]
    client.close()


def test_queued_gap_at_snapshot_end_resyncs(publisher):
    client = FeedClient(publisher.publish, publisher.snapshot)
    publisher.wait_subscribed(client)
    identity, _ = publisher.request(client)
    publisher.update("BTC", E1, 3)
    publisher.update("BTC", E1, 5)  # 4 lost while syncing
    settle(client, lambda: len(client.queue) == 2, 5)
    publisher.reply(identity, E1, 2, [("BTC", 0.1)])
    settle(client, lambda: client.resyncs, 5)
    assert client.resyncs == ["gap"] and not client.live and client.snapshots == 0
    client.close()


def test_silence_is_a_dead_publisher_and_return_needs_no_resync(publisher):
    client = synchronized_client(publisher, dead_after=0.3)
    events = settle(client, lambda: not client.alive, 3)
    assert any(isinstance(event, PublisherDead) for event in events) and client.stale
    publisher.heartbeat(E1, 10)
    events = settle(client, lambda: client.alive, 3)
    assert events == [PublisherAlive()] and client.resyncs == [] and client.live and not client.stale
    client.close()


def test_json_encoding_asks_for_json(publisher):
    client = FeedClient(publisher.publish, publisher.snapshot, encoding="json")
    publisher.wait_subscribed(client, (b"json.risk.", b"json.portfolio", b"json.hb"))
    _, request = publisher.request(client)
    assert request.encoding == risk_pb2.ENCODING_JSON
    client.close()


def test_asyncio_client_follows_the_same_transitions(publisher):
    async def scenario():
        client = AsyncFeedClient(publisher.publish, publisher.snapshot)
        deadline = time.monotonic() + 5
        while not {b"risk.", b"portfolio", b"hb"} <= publisher.subscriptions:
            assert time.monotonic() < deadline
            while publisher.pub.poll(0):
                publisher.subscriptions.add(publisher.pub.recv()[1:])
            await client.poll(0.02)

        async def request():
            while not publisher.router.poll(0):
                await client.poll(0.02)
            return publisher.router.recv_multipart()[0]

        identity = await request()
        publisher.update("BTC", E1, 8, imf=0.4)
        while not client.queue:
            await client.poll(0.02)
        publisher.reply(identity, E1, 7, [("BTC", 0.1)])
        while not client.live:
            await client.poll(0.02)
        assert client.sequence == 8 and client.parameters["BTC"].imf == 0.4
        publisher.update("BTC", E1, 10)
        while not client.resyncs:
            await client.poll(0.02)
        assert client.resyncs == ["gap"]
        identity = await request()
        publisher.reply(identity, E1, 10, [("BTC", 0.6)])
        await client.wait_synchronized(5)
        assert client.snapshots == 2 and client.parameters["BTC"].imf == 0.6
        client.close()

    asyncio.run(asyncio.wait_for(scenario(), 20))
