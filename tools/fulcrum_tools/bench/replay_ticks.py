"""Writes the backtest replay benchmark's input: N ticks of 10 assets as CSV (timestamp,symbol,price,venue,size).

Round-robin over the assets, 1 ms apart (1,000 ticks per event second), each price a geometric random walk
with 4 bp steps; seeded, so every run writes the same file.

    python3 -m fulcrum_tools.bench.replay_ticks N OUT.csv
"""
import math
import random
import sys


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    random.seed(1)
    symbols = ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "AVAX", "LINK", "DOT", "LTC"]
    prices = [60000.0, 3000.0, 150.0, 0.6, 0.45, 0.12, 35.0, 14.0, 7.0, 80.0]
    sigma = 0.0004
    base_ms = 1_700_000_000_000
    with open(out, "w") as file:
        file.write("timestamp,symbol,price,venue,size\n")
        lines = []
        for index in range(count):
            asset = index % len(symbols)
            prices[asset] *= math.exp(sigma * random.gauss(0, 1))
            time_ms = base_ms + index
            lines.append(f"{time_ms // 1000}.{time_ms % 1000:03d},{symbols[asset]},{prices[asset]:.8g},BENCH,"
                         f"{random.randint(1, 100)}\n")
            if len(lines) == 100_000:
                file.writelines(lines)
                lines = []
        file.writelines(lines)


if __name__ == "__main__":
    main()
