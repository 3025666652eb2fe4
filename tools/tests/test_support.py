"""Ports, /metrics parsing and the checkout's root."""
import os
import socket

from fulcrum_tools import metrics
from fulcrum_tools.paths import repository_root
from fulcrum_tools.ports import free_ports

PAGE = """# HELP fulcrum_grid_step_seconds Grid step.
# TYPE fulcrum_grid_step_seconds histogram
fulcrum_grid_step_seconds_bucket{le="0.0001"} 3
fulcrum_grid_step_seconds_bucket{le="0.00025"} 8
fulcrum_grid_step_seconds_bucket{le="+Inf"} 10
fulcrum_grid_step_seconds_sum 0.004
fulcrum_grid_step_seconds_count 10
fulcrum_ticks_received_total{feed="bench"} 12345
broken_line NaNish
"""


def test_free_ports_are_distinct_and_free():
    ports = free_ports(6)
    assert len(set(ports)) == 6
    for port in ports:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", port))


def test_parse_and_histogram():
    samples = metrics.parse(PAGE)
    assert samples['fulcrum_ticks_received_total{feed="bench"}'] == 12345
    assert "broken_line" not in samples
    buckets, total, count = metrics.histogram(samples, "fulcrum_grid_step_seconds")
    assert buckets == [(0.0001, 3), (0.00025, 8), (float("inf"), 10)]
    assert (total, count) == (0.004, 10)


def test_wait_until_up_gives_up_on_a_closed_port():
    (port,) = free_ports(1)
    assert metrics.wait_until_up(f"http://127.0.0.1:{port}/metrics", seconds=0.2, interval=0.05) == {}


def test_repository_root_from_a_subfolder(monkeypatch):
    root = repository_root()
    assert (root / "protocols" / "fulcrum" / "v1" / "tick.proto").is_file()
    monkeypatch.chdir(root / "Fuzz")  # a Package.swift of its own, but not the checkout's top
    assert repository_root() == root
    assert os.path.isdir(root / "tools" / "fulcrum_tools")
