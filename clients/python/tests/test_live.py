"""The clients against a running Fulcrum (the simulated market of its default configuration)."""
import asyncio
import json
import math
import os
import subprocess
import sys
import threading
import time

import pytest
import zmq

import fulcrum_client
from fulcrum_client import (AssetStatus, AsyncFeedClient, FeedClient, PortfolioUpdate, PublisherAlive,
                            PublisherDead, Reason, Resync, RiskParameters, Synchronized)
from conftest import REPOSITORY, Fulcrum, fulcrum_binary, free_ports

SIMULATED = {"BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "LINK-USD"}


def poll_until(client, condition, timeout, what):
    """Polls `client` until condition(applied_so_far) holds; returns the updates applied meanwhile."""
    applied, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        applied += client.poll(0.1)
        if condition(applied):
            return applied
    raise AssertionError(f"{what} within {timeout} s; resyncs {client.resyncs}, events {client.events}")


@pytest.mark.parametrize("encoding", ["protobuf", "json"])
def test_snapshot_then_live_updates_in_sequence(fulcrum, encoding):
    with FeedClient(fulcrum.publish, fulcrum.snapshot, encoding=encoding) as client:
        client.wait_synchronized(30)
        events = client.take_events()
        assert PublisherAlive() in events
        synchronized = [event for event in events if isinstance(event, Synchronized)]
        assert len(synchronized) == 1 and synchronized[0].epoch == client.epoch
        assert synchronized[0].sequence == client.sequence and synchronized[0].symbols == len(client.parameters)
        assert client.snapshots == 1 and client.resyncs == [] and client.live and client.alive
        assert set(client.parameters) == SIMULATED

        first = client.sequence
        applied = poll_until(client, lambda applied: len(applied) >= 12, 30, "12 live updates")
        # Live updates are applied one sequence number at a time, from the snapshot's on.
        assert client.sequence == first + len(applied)
        assert client.resyncs == [] and client.snapshots == 1
        for update in applied:
            assert isinstance(update, (RiskParameters, PortfolioUpdate))
            assert update.publisher_epoch == client.epoch
        risk = [update for update in applied if isinstance(update, RiskParameters)]
        assert risk and {update.symbol for update in risk} <= SIMULATED
        for parameters in client.parameters.values():
            assert isinstance(parameters.status, AssetStatus) and parameters.status != AssetStatus.UNSPECIFIED
            assert 0 < parameters.mmf <= parameters.imf <= 1
            assert parameters.price > 0 and parameters.inputs is not None and parameters.inputs.sigma_step > 0
            # The last tier's cap is the position limit: unbounded (+inf) from the volume model, finite when the
            # tiers come from a live book's impact curve (the simulated market publishes books).
            assert parameters.tiers and parameters.tiers[-1].notional_cap > parameters.tiers[-1].notional_floor
            assert parameters.topic == f"risk.{parameters.symbol}"
        portfolio = client.portfolio
        assert isinstance(portfolio, PortfolioUpdate) and set(portfolio.symbols) == SIMULATED
        n = len(portfolio.symbols)
        assert len(portfolio.correlation) == len(portfolio.pair_ready) == n * (n + 1) // 2
        assert portfolio.correlation_between("BTC-USD", "BTC-USD") == pytest.approx(1.0)


class Recording(FeedClient):
    """Remembers each live update by its sequence number."""

    def __init__(self, *args, **kwargs):
        self.by_sequence = {}
        super().__init__(*args, **kwargs)

    def on_update(self, update, seq):
        applied = super().on_update(update, seq)
        self.by_sequence.update((seq, item) for item in applied)
        return applied


def test_both_encodings_decode_to_the_same_updates(fulcrum):
    """A JSON rendition carries its protobuf original's sequence number: both decode to equal typed objects."""
    with Recording(fulcrum.publish, fulcrum.snapshot) as binary, \
            Recording(fulcrum.publish, fulcrum.snapshot, encoding="json") as text:
        binary.wait_synchronized(30)
        text.wait_synchronized(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(set(binary.by_sequence) & set(text.by_sequence)) < 10:
            binary.poll(0.05)
            text.poll(0.05)
        common = set(binary.by_sequence) & set(text.by_sequence)
        assert len(common) >= 10, f"only {len(common)} updates seen in both encodings"
        for sequence in common:
            assert binary.by_sequence[sequence] == text.by_sequence[sequence], sequence
        assert binary.epoch == text.epoch
        assert binary.resyncs == text.resyncs == []


def test_to_pandas_one_row_per_symbol(fulcrum):
    client = fulcrum_client.connect(fulcrum.publish, fulcrum.snapshot, timeout=30)
    try:
        frame = client.to_pandas()
        assert list(frame.index) == sorted(SIMULATED)
        assert frame.index.name == "symbol"
        for column in ("status", "imf", "mmf", "max_leverage", "price", "reasons", "sigma_annual", "as_of",
                       "coverage_zone"):
            assert column in frame.columns
        assert ((frame["imf"] > 0) & (frame["imf"] <= 1)).all()
        assert set(frame["status"]) <= {status.name for status in AssetStatus}
        assert str(frame["as_of"].dtype).startswith("datetime64[ns, UTC]")
        assert frame.loc["BTC-USD", "imf"] == client.parameters["BTC-USD"].imf
        vocabulary = {reason.name.lower() for reason in Reason}
        for text in frame["reasons"]:
            assert all(word in vocabulary for word in text.split(",") if word), text
        assert frame.attrs == {"epoch": client.epoch, "sequence": client.sequence, "synchronized": True,
                               "alive": True}
        tiers = client.tiers_to_pandas()
        assert set(tiers.index.get_level_values("symbol")) == SIMULATED
        assert (tiers["notional_cap"] > tiers["notional_floor"]).all()
    finally:
        client.close()


def test_restart_is_a_new_epoch_after_a_dead_publisher(fulcrum):
    with FeedClient(fulcrum.publish, fulcrum.snapshot, dead_after=1.0) as client:
        client.wait_synchronized(30)
        first_epoch = client.epoch
        client.take_events()
        assert fulcrum.stop() == 0
        poll_until(client, lambda _: not client.alive, 10, "publisher_dead")
        assert any(isinstance(event, PublisherDead) for event in client.events)
        assert client.stale and client.live  # the state is kept, marked stale, until the publisher returns

        fulcrum.start()
        poll_until(client, lambda _: client.live and client.epoch != first_epoch, 40, "a snapshot of the new epoch")
        events = client.take_events()
        assert Resync("new_epoch") in events and PublisherAlive() in events
        assert client.resyncs == ["new_epoch"], fulcrum.log()
        assert client.snapshots == 2 and client.alive
        assert all(p.publisher_epoch == client.epoch for p in client.parameters.values())
        # Sequence numbers start again at 1 in the new epoch: live updates follow from the new snapshot.
        before = client.sequence
        applied = poll_until(client, lambda applied: len(applied) >= 3, 30, "live updates of the new epoch")
        assert client.sequence == before + len(applied)


class DroppingProxy:
    """A forwarder between Fulcrum's PUB and a client's SUB that drops one update (risk or portfolio), once, after
    `after` forwarded: the next update or heartbeat shows the client a sequence gap. (Risk updates alone can be
    minutes apart in a calm simulated market; a portfolio update comes every grid step.)"""

    def __init__(self, upstream, after):
        self.context = zmq.Context()
        self.front = self.context.socket(zmq.XSUB)
        self.front.connect(upstream)
        self.back = self.context.socket(zmq.XPUB)
        port = free_ports(1)[0]
        self.endpoint = f"tcp://127.0.0.1:{port}"
        self.back.bind(self.endpoint)
        self.after, self.forwarded, self.dropped = after, 0, None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        poller = zmq.Poller()
        poller.register(self.front, zmq.POLLIN)
        poller.register(self.back, zmq.POLLIN)
        while not self.stopping.is_set():
            ready = dict(poller.poll(50))
            if self.back in ready:
                self.front.send_multipart(self.back.recv_multipart())
            if self.front in ready:
                frames = self.front.recv_multipart()
                update = frames[0].startswith(b"risk.") or frames[0] == b"portfolio"
                if update and self.dropped is None and self.forwarded >= self.after:
                    self.dropped = int.from_bytes(frames[2], "big")
                    continue
                self.back.send_multipart(frames)
                if update:
                    self.forwarded += 1
        self.front.close()
        self.back.close()
        self.context.term()

    def close(self):
        self.stopping.set()
        self.thread.join(5)


def test_gap_triggers_a_resync_that_restores_the_state(fulcrum):
    proxy = DroppingProxy(fulcrum.publish, after=12)
    try:
        with FeedClient(proxy.endpoint, fulcrum.snapshot) as client, \
                FeedClient(fulcrum.publish, fulcrum.snapshot) as reference:
            client.wait_synchronized(30)
            poll_until(client, lambda _: client.resyncs and client.live, 60, "a resync after the dropped update")
            assert proxy.dropped is not None
            # The next update shows a gap; a heartbeat first (the dropped one ended its grid step) shows it ahead.
            assert client.resyncs in (["gap"], ["heartbeat_ahead"])
            assert client.snapshots == 2 and client.sequence >= proxy.dropped
            reference.wait_synchronized(30)
            # Both follow the same feed: at the same sequence number they hold the same state.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                client.poll(0.05)
                reference.poll(0.05)
                if client.sequence == reference.sequence and client.parameters == reference.parameters:
                    break
            assert client.sequence == reference.sequence
            assert client.parameters == reference.parameters
            assert client.portfolio == reference.portfolio
    finally:
        proxy.close()


def test_asyncio_client(fulcrum):
    async def scenario():
        async with AsyncFeedClient(fulcrum.publish, fulcrum.snapshot, encoding="json") as client:
            await client.wait_synchronized(30)
            assert set(client.parameters) == SIMULATED and client.snapshots == 1
            start, applied = client.sequence, []
            async for update in client.updates(timeout=4):
                applied.append(update)
            assert len(applied) >= 8 and client.sequence == start + len(applied)
            assert client.resyncs == []
            # Another task reads while run() keeps the state current.
            stop = asyncio.Event()
            runner = asyncio.create_task(client.run(stop))
            sequence = client.sequence
            for _ in range(100):
                await asyncio.sleep(0.1)
                if client.sequence > sequence:
                    break
            stop.set()
            await runner
            assert client.sequence > sequence
            frame = client.to_pandas()
            assert list(frame.index) == sorted(SIMULATED)
        client2 = await fulcrum_client.connect_async(fulcrum.publish, fulcrum.snapshot, timeout=30)
        try:
            assert client2.live and client2.epoch == client.epoch
        finally:
            client2.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("encoding", ["protobuf", "json"])
def test_example_script_keeps_its_contract(fulcrum, encoding):
    """What Tests/FulcrumIntegrationTests/EndToEndTests.swift (pythonConsumer) runs and reads."""
    result = subprocess.run(
        [sys.executable, str(REPOSITORY / "protocols" / "examples" / "fulcrum_client.py"), fulcrum.publish,
         "--snapshot", fulcrum.snapshot, "--encoding", encoding, "--count", "12", "--seconds", "60",
         "--position", "BTC-USD=100000", "--position", "ETH-USD=-50000"],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"event": "publisher_alive"} in lines
    assert any(line.get("event") == "synchronized" for line in lines)
    summary = lines[-1]
    assert set(summary) == {"epoch", "sequence", "snapshots", "resyncs", "alive", "applied", "parameters",
                            "serialized", "portfolio", "portfolio_margin"}
    assert set(summary["parameters"]) == SIMULATED
    assert 0 < summary["parameters"]["BTC-USD"]["imf"] <= 1
    assert summary["sequence"] > 0 and summary["snapshots"] >= 1 and summary["applied"] >= 12
    assert summary["parameters"]["BTC-USD"]["status"].startswith("ASSET_STATUS_")
    assert set(summary["serialized"]) == {f"risk.{symbol}" for symbol in SIMULATED} | {"portfolio"}
    assert summary["portfolio_margin"]["margin"] > 0


def test_readme_quick_start_runs_as_written(fulcrum):
    """The README's three lines, with this test's endpoint in place of the default one."""
    readme = (REPOSITORY / "clients" / "python" / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    assert code.count("\n") == 3 and "tcp://127.0.0.1:7601" in code
    code = code.replace('"tcp://127.0.0.1:7601"', f'"{fulcrum.publish}", snapshot="{fulcrum.snapshot}", timeout=30')
    result = subprocess.run([sys.executable, "-c", code + "print(df.to_json())\n"], capture_output=True, text=True,
                            timeout=60, cwd=os.path.dirname(__file__))
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(table["imf"]) == SIMULATED


def test_connect_to_a_fulcrum_just_started_waits_for_parameters():
    """What a new user does first: start fulcrum, then connect at once. The first snapshot may be empty; connect()
    waits until some parameters are there."""
    if not fulcrum_binary().exists():
        pytest.skip(f"no fulcrum binary at {fulcrum_binary()}")
    server = Fulcrum(fulcrum_binary()).start()
    try:
        client = fulcrum_client.connect(server.publish, server.snapshot, timeout=30)
        try:
            assert client.live and len(client.parameters) >= 1 and len(client.to_pandas()) >= 1
        finally:
            client.close()
    finally:
        server.stop()
