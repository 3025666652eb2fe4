#!/usr/bin/env python3
"""Trades and order books for protocol health, through cryptofeed's own TradeZMQ and BookZMQ into a running Fulcrum.

Two symbols trade a small oscillating path around their level; each has one venue's book (20 levels a side,
unequal sizes and gaps), sent as a full snapshot every half second and never changed, so that the impact curve
Fulcrum smooths over time is exactly the walk of this book.

    health_books.py PORT SECONDS

Prints `sent N` and `books {...}`: each symbol's book as sent, {"bid": [[price, size], ...], "ask": [...]}, best
first.
"""
import asyncio
import json
import math
import sys
import time
from decimal import Decimal

from cryptofeed.backends.zmq import BookZMQ, TradeZMQ
from cryptofeed.types import OrderBook, Trade

LEVELS = {"BTC-USDT": (100.0, 0.02, 40.0), "ETH-USDT": (25.0, 0.01, 120.0)}
STEP = 0.05


def price(level, t):
    return level * math.exp(0.003 * math.sin(t * 0.9) + 0.0015 * math.sin(t * 3.1))


def book(symbol):
    level, tick, size = LEVELS[symbol]
    bids, asks = {}, {}
    for k in range(20):
        gap = tick * (1 + k + (k % 3))
        bids[Decimal(f"{level - gap:.4f}")] = Decimal(f"{size * (1 + 0.37 * k + 0.5 * (k % 4)):.3f}")
        asks[Decimal(f"{level + gap:.4f}")] = Decimal(f"{size * (1.2 + 0.29 * k + 0.4 * (k % 5)):.3f}")
    return OrderBook("BINANCE", symbol, bids=bids, asks=asks)


async def main(port, seconds):
    loop = asyncio.get_running_loop()
    trades = TradeZMQ(host="127.0.0.1", port=port)
    books = BookZMQ(host="127.0.0.1", port=port, snapshots_only=True)
    for callback in (trades, books):
        callback.start(loop)
    await asyncio.sleep(1.5)
    symbols = {symbol: book(symbol) for symbol in LEVELS}
    start = time.time()
    sent, step = 0, 0
    while time.time() - start < seconds:
        now = time.time()
        if step % 10 == 0:
            for snapshot in symbols.values():
                snapshot.timestamp = now
                await books(snapshot, now)
                sent += 1
        for symbol, (level, _, _) in LEVELS.items():
            p = Decimal(f"{price(level, now - start):.6f}")
            await trades(Trade("BINANCE", symbol, "buy" if step % 2 else "sell", Decimal("1"), p, now), now)
            sent += 1
        step += 1
        await asyncio.sleep(STEP)
    await asyncio.sleep(0.5)
    for callback in (trades, books):
        await callback.stop()
    await asyncio.sleep(0.2)
    printed = {symbol: {"bid": [[float(p), float(s)] for p, s in sorted(b.book.bids.to_dict().items(), reverse=True)],
                        "ask": [[float(p), float(s)] for p, s in sorted(b.book.asks.to_dict().items())]}
               for symbol, b in symbols.items()}
    print(f"sent {sent}", flush=True)
    print(f"books {json.dumps(printed)}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
