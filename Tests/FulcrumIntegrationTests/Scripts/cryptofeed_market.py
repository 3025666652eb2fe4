#!/usr/bin/env python3
"""cryptofeed's market-data backends against the fulcrum binary, in real time: TradeZMQ, BookZMQ (one symbol with
snapshots_only, the other full book then deltas), FundingZMQ, OpenInterestZMQ and LiquidationsZMQ, each on its own
PUB socket connecting to Fulcrum's bound SUB, all called with cryptofeed's own data types.

Two symbols trade the same price path: DEEP-USDT with a deep book, THIN-USDT with the same book at a twentieth of
the size. DEEP has a funding feed (mark 5 bp above the trades) and rising open interest; at CASCADE of the run
THIN gets a burst of liquidations larger than its whole visible book.

    cryptofeed_market.py PORT SECONDS

Prints `sent N`, `marks M1,M2,…` (the mark prices sent) and `cascade T` (the exchange time of the burst, ns).
"""
import asyncio
import math
import sys
import time
from decimal import Decimal

from cryptofeed.backends.zmq import BookZMQ, FundingZMQ, LiquidationsZMQ, OpenInterestZMQ, TradeZMQ
from cryptofeed.types import Funding, Liquidation, OpenInterest, OrderBook, Trade

LEVEL = 100.0
STEP = 0.05
CASCADE = 0.6


def price(t):
    return LEVEL * math.exp(0.002 * math.sin(t * 0.9) + 0.001 * math.sin(t * 3.3))


def book(symbol, scale):
    bids = {Decimal(f"{LEVEL - 0.01 - 0.02 * k:.2f}"): Decimal(f"{(50 + 10 * k) * scale:.4f}") for k in range(20)}
    asks = {Decimal(f"{LEVEL + 0.01 + 0.02 * k:.2f}"): Decimal(f"{(50 + 10 * k) * scale:.4f}") for k in range(20)}
    return OrderBook("BINANCE", symbol, bids=bids, asks=asks)


async def main(port, seconds):
    loop = asyncio.get_running_loop()
    trades = TradeZMQ(host="127.0.0.1", port=port)
    deep_books = BookZMQ(host="127.0.0.1", port=port, snapshots_only=True)
    thin_books = BookZMQ(host="127.0.0.1", port=port)
    funding = FundingZMQ(host="127.0.0.1", port=port)
    interest = OpenInterestZMQ(host="127.0.0.1", port=port)
    liquidations = LiquidationsZMQ(host="127.0.0.1", port=port)
    callbacks = [trades, deep_books, thin_books, funding, interest, liquidations]
    for callback in callbacks:
        callback.start(loop)
    await asyncio.sleep(1.5)
    sent = 0
    deep = book("DEEP-USDT", 1.0)
    thin = book("THIN-USDT", 0.05)
    start = time.time()
    # Books, funding and open interest first, so that the first grid step already sees them.
    for snapshot in (deep, thin):
        snapshot.timestamp = start
        await (deep_books if snapshot is deep else thin_books)(snapshot, start)
        sent += 1
    step = 0
    marks = []
    cascade_at = None
    while time.time() - start < seconds:
        now = time.time()
        p = Decimal(f"{price(now - start):.6f}")
        for symbol in ("DEEP-USDT", "THIN-USDT"):
            await trades(Trade("BINANCE", symbol, "buy" if step % 2 else "sell", Decimal("1"), p, now), now)
            sent += 1
        if step % 10 == 0:
            deep.timestamp = now
            await deep_books(deep, now)
            # A delta on the thin book: the best bid's size changes and changes back.
            best = thin.book.bids.index(0)[0]
            size = Decimal("2.5") if (step // 10) % 2 else Decimal("3.0")
            thin.book.bids[best] = size
            thin.delta = {"bid": [(best, size)], "ask": []}
            thin.timestamp = now
            await thin_books(thin, now)
            mark = Decimal(f"{float(p) * 1.0005:.6f}")
            marks.append(repr(float(mark)))
            await funding(Funding("BINANCE", "DEEP-USDT", mark, Decimal("0.0001"), None, now), now)
            oi = Decimal(f"{1000 + 50 * step:.1f}")
            await interest(OpenInterest("BINANCE", "DEEP-USDT", oi, now), now)
            sent += 4
        if cascade_at is None and now - start >= CASCADE * seconds:
            cascade_at = now
            for k in range(40):
                await liquidations(Liquidation("BINANCE", "THIN-USDT", "sell", Decimal("10"), p, f"l{k}", "filled",
                                               now), now)
                sent += 1
        step += 1
        await asyncio.sleep(STEP)
    await asyncio.sleep(0.5)
    for callback in callbacks:
        await callback.stop()
    await asyncio.sleep(0.2)
    print(f"sent {sent}", flush=True)
    print(f"marks {','.join(marks)}", flush=True)
    print(f"cascade {int(cascade_at * 1e9)}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
