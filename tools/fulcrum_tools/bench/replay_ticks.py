"""Writes the backtest replay benchmark's input as CSV (timestamp,symbol,price,venue,size).

Default (the replay benchmark): N ticks of 10 assets, round-robin, 1 ms apart (1,000 ticks per event second),
each price a geometric random walk with 4 bp steps; seeded, so every run writes the same file.

`--symbols S --per-step K` writes the dense-grid shape instead: S assets (SYM0000, SYM0001, …), K ticks per
asset per 1 s grid step (K = 1: one tick per symbol per step, the shape of a replay, a catch-up or a short
grid), ticks spread evenly over each second; N is still the total tick count.

    python3 -m fulcrum_tools.bench.replay_ticks N OUT.csv [--symbols S --per-step K]
"""
import argparse
import math
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--symbols", type=int, default=0, help="dense-grid shape: number of assets")
    parser.add_argument("--per-step", type=int, default=1, help="dense-grid shape: ticks per asset per 1 s step")
    args = parser.parse_args()
    random.seed(1)
    if args.symbols > 0:
        symbols = [f"SYM{index:04d}" for index in range(args.symbols)]
        prices = [10.0 + index % 97 for index in range(args.symbols)]
        per_second = args.symbols * args.per_step
    else:
        symbols = ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "AVAX", "LINK", "DOT", "LTC"]
        prices = [60000.0, 3000.0, 150.0, 0.6, 0.45, 0.12, 35.0, 14.0, 7.0, 80.0]
        per_second = 1000
    sigma = 0.0004
    base_us = 1_700_000_000_000_000
    with open(args.out, "w") as file:
        file.write("timestamp,symbol,price,venue,size\n")
        lines = []
        for index in range(args.count):
            asset = index % len(symbols)
            prices[asset] *= math.exp(sigma * random.gauss(0, 1))
            time_us = base_us + (index // per_second) * 1_000_000 + (index % per_second) * 1_000_000 // per_second
            if args.symbols > 0:
                stamp = f"{time_us // 1_000_000}.{time_us % 1_000_000:06d}"
            else:
                stamp = f"{time_us // 1_000_000}.{(time_us // 1000) % 1000:03d}"
            lines.append(f"{stamp},{symbols[asset]},{prices[asset]:.8g},BENCH,{random.randint(1, 100)}\n")
            if len(lines) == 100_000:
                file.writelines(lines)
                lines = []
        file.writelines(lines)


if __name__ == "__main__":
    main()
