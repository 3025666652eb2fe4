"""A real Fulcrum for the tests: the built binary (`FULCRUM_BINARY`, else `.build/debug/fulcrum` in the checkout),
`fulcrum run` on its embedded default configuration (the simulated market) with its publisher on free loopback
ports. Tests that need it are skipped, saying why, when the binary is absent."""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]


def fulcrum_binary():
    configured = os.environ.get("FULCRUM_BINARY")
    return pathlib.Path(configured) if configured else REPOSITORY / ".build" / "debug" / "fulcrum"


def free_ports(count):
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class Fulcrum:
    """`fulcrum run` with its publisher on fixed ports, so that it can be stopped and started again (a restart is a
    new epoch) at the same endpoints."""

    def __init__(self, binary):
        self.binary = binary
        publish, snapshot = free_ports(2)
        self.publish = f"tcp://127.0.0.1:{publish}"
        self.snapshot = f"tcp://127.0.0.1:{snapshot}"
        self.directory = tempfile.mkdtemp(prefix="fulcrum-client-test-")
        self.process = None
        self.runs = 0

    def start(self):
        assert self.process is None
        environment = {key: value for key, value in os.environ.items() if not key.startswith("FULCRUM__")}
        environment.update(FULCRUM__PUBLISHER__PUBLISH_ENDPOINT=self.publish,
                           FULCRUM__PUBLISHER__SNAPSHOT_ENDPOINT=self.snapshot,
                           FULCRUM__HTTP__ADDRESS="127.0.0.1:0")
        self.runs += 1
        self.log_path = os.path.join(self.directory, f"fulcrum-{self.runs}.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([str(self.binary), "run"], cwd=self.directory, env=environment,
                                            stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, symbols=5, timeout=60):
        """Until a snapshot holds every simulated symbol and a portfolio update (the first grid steps)."""
        import fulcrum_client

        with fulcrum_client.FeedClient(self.publish, self.snapshot) as client:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                client.poll(0.1)
                if client.live and len(client.parameters) >= symbols and client.portfolio is not None:
                    return self
        raise AssertionError(f"fulcrum published no complete state within {timeout} s:\n{self.log()}")

    def stop(self, timeout=30):
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.process = None
        return status

    def log(self):
        with open(self.log_path) as handle:
            return handle.read()[-4000:]


@pytest.fixture
def fulcrum():
    binary = fulcrum_binary()
    if not binary.exists():
        message = f"no fulcrum binary at {binary}: build it (swift build) or set FULCRUM_BINARY"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI builds it first: its absence there is a failure, not a reason to skip
        pytest.skip(message)
    server = Fulcrum(binary).start()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
