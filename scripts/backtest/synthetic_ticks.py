#!/usr/bin/env python3
"""Writes a tick CSV for throughput measurements: ASSETS correlated random walks, RATE ticks per asset per second
of event time, TICKS rows in all, seeded.

Usage: synthetic_ticks.py OUT.csv [--ticks N] [--assets A] [--rate R] [--seed S]
"""
import argparse

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--ticks", type=int, default=10_000_000)
    parser.add_argument("--assets", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    rng = np.random.default_rng(arguments.seed)
    assets = arguments.assets
    rows = arguments.ticks // assets
    start = 1_700_000_000_000_000_000
    spacing = int(1e9 / arguments.rate)
    # Per-tick σ for about 60 % annualized volatility at the given rate; a common factor correlates the assets.
    sigma = 0.6 / np.sqrt(365 * 86_400 * arguments.rate)
    symbols = np.array([f"S{index:02d}-USD" for index in range(assets)])
    with open(arguments.out, "w") as handle:
        handle.write("timestamp,symbol,price,venue\n")
        chunk = 100_000
        prices = 100.0 * (1 + np.arange(assets))
        for begin in range(0, rows, chunk):
            count = min(chunk, rows - begin)
            common = rng.standard_normal((count, 1))
            shocks = sigma * (0.6 * common + 0.8 * rng.standard_normal((count, assets)))
            paths = prices * np.exp(np.cumsum(shocks, axis=0))
            prices = paths[-1]
            ticks = begin + np.arange(count)
            # Asset i ticks at spacing·k + i·spacing/assets: interleaved, increasing in time.
            times = start + ticks[:, None] * spacing + (np.arange(assets) * (spacing // assets))[None, :]
            seconds = times // 1_000_000_000
            nanos = times % 1_000_000_000
            lines = [f"{s}.{n:09d},{symbol},{p:.6f},SIM" for s, n, symbol, p in
                     zip(seconds.ravel(), nanos.ravel(), np.tile(symbols, count), paths.ravel())]
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
