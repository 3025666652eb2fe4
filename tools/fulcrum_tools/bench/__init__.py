"""Benchmark harness parts (scripts/bench.sh, scripts/bench/replay.sh)."""
