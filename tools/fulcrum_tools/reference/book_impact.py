"""Reference for the impact curve: order books sent through cryptofeed's own BookZMQ backend, walked here with numpy.

Builds cryptofeed OrderBook objects for one symbol on three venues (seeded random depth), hands each to
``cryptofeed.backends.zmq.BookZMQ`` exactly as a feed handler does (``await callback(book, receipt)``: the full
book first, then deltas, and with ``snapshots_only=True`` a snapshot per update), and records the frames the
backend would publish (``ZMQCallback.writer``'s ``f'{exchange}-{key}-{symbol} {json.dumps(update)}'``). Then,
independently of Fulcrum, it parses those frames with Python's json, applies snapshots and deltas to a dict per
venue, and walks each final book for every notional:

    take_k = min(remaining, p_k q_k), VWAP = N / sum(take_k / p_k), cost = (m - VWAP)/m (bids), (VWAP - m)/m (asks)

beyond the visible depth D the cost is c(D) * sqrt(N / D); the curve is the median over venues (numpy.median).

    python3 -m fulcrum_tools.reference.book_impact SEED SCALE

(`Tests/FulcrumIntegrationTests/Scripts/cryptofeed_book_impact.py` sends the same books through real BookZMQ
sockets to the fulcrum binary.)

prints JSON {"frames": [...], "time": ns, "notionals": [...], "long": [...], "short": [...], "depth": x}; SCALE
multiplies every size (a thinner book below 1).
"""
import asyncio
import json
import random
import sys
from decimal import Decimal

import numpy as np
from cryptofeed.backends.zmq import BookZMQ
from cryptofeed.types import OrderBook
from yapic import json as yapic_json

NOTIONALS = [m * 10.0 ** e for e in range(3, 9) for m in (1, 2, 5)] + [1e9]
VENUES = ["BINANCE", "OKX", "BYBIT"]
SYMBOL = "BTC-USDT"


class Recorder(BookZMQ):
    """BookZMQ whose queue is a list: what its writer would publish, formatted as the writer formats it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.frames = []

    async def write(self, data):
        self.frames.append(f'{data["exchange"]}-{self.key}-{data["symbol"]} {yapic_json.dumps(data)}')


def random_book(rng, venue, mid, scale):
    bids, asks = {}, {}
    for k in range(15):
        bids[Decimal(f"{mid - 0.5 - k * rng.uniform(0.5, 3):.2f}")] = Decimal(f"{rng.uniform(0.01, 4) * scale:.4f}")
        asks[Decimal(f"{mid + 0.5 + k * rng.uniform(0.5, 3):.2f}")] = Decimal(f"{rng.uniform(0.01, 4) * scale:.4f}")
    return OrderBook(venue, SYMBOL, bids=bids, asks=asks)


async def frames_for(seed, scale, t=1_700_000_000.0, sender_for=None):
    """The frames of the three venues' books (full book then deltas; the third venue with snapshots_only) at event
    time `t` (seconds), and the time of the last one in ns. `sender_for(snapshots_only)`, when given, returns a
    second BookZMQ per venue that is called with the same books in the same order: the one that really sends."""
    rng = random.Random(seed)
    frames = []
    for index, venue in enumerate(VENUES):
        snapshots_only = index == 2
        recorder = Recorder(snapshots_only=snapshots_only)
        callbacks = [recorder] + ([sender_for(snapshots_only)] if sender_for else [])
        book = random_book(rng, venue, 43000.0 + index, scale)
        book.timestamp = t
        for callback in callbacks:
            await callback(book, t + 0.001)
        # Two deltas: a size change at the best bid, a removal and an insertion on the asks.
        best_bid = book.book.bids.index(0)[0]
        second_ask = book.book.asks.index(1)[0]
        new_ask = book.book.asks.index(14)[0] + Decimal("0.75")
        book.book.bids[best_bid] = Decimal("0.5000") * Decimal(str(scale))
        del book.book.asks[second_ask]
        book.book.asks[new_ask] = Decimal("2.5000") * Decimal(str(scale))
        book.delta = {"bid": [(best_bid, book.book.bids[best_bid])],
                      "ask": [(second_ask, Decimal(0)), (new_ask, book.book.asks[new_ask])]}
        book.timestamp = t + 0.5
        for callback in callbacks:
            await callback(book, t + 0.501)
        frames += recorder.frames
    return frames, int((t + 0.5) * 1e9)


def apply(frames):
    books = {}
    for frame in frames:
        data = json.loads(frame.split(" ", 1)[1])
        venue = data["exchange"]
        if "book" in data:
            books[venue] = {side: {float(p): float(s) for p, s in data["book"][side].items()} for side in ("bid", "ask")}
        else:
            for side in ("bid", "ask"):
                for price, size in data["delta"][side]:
                    if float(size) == 0:
                        books[venue][side].pop(float(price), None)
                    else:
                        books[venue][side][float(price)] = float(size)
    return books


def walk(prices, sizes, mid, notional, is_bid):
    remaining, quantity, spent = notional, 0.0, 0.0
    for p, q in zip(prices, sizes):
        take = min(remaining, p * q)
        quantity += take / p
        spent += take
        remaining -= take
        if remaining <= 0:
            break
    vwap = spent / quantity
    cost = max((mid - vwap) / mid if is_bid else (vwap - mid) / mid, 0.0)
    return cost * np.sqrt(notional / spent) if remaining > 0 else cost


def main():
    seed, scale = int(sys.argv[1]), float(sys.argv[2])
    frames, time_ns = asyncio.run(frames_for(seed, scale))
    print(json.dumps(reference(frames, time_ns)))


def reference(frames, time_ns):
    """The numpy walk of the books the frames leave: per-notional medians over venues, and the median depth."""
    books = apply(frames)
    long_costs, short_costs, depths = [], [], []
    for venue in VENUES:
        bids = sorted(books[venue]["bid"].items(), reverse=True)
        asks = sorted(books[venue]["ask"].items())
        mid = bids[0][0] * 0.5 + asks[0][0] * 0.5
        bp, bq = [p for p, _ in bids], [q for _, q in bids]
        ap, aq = [p for p, _ in asks], [q for _, q in asks]
        long_costs.append([walk(bp, bq, mid, n, True) for n in NOTIONALS])
        short_costs.append([walk(ap, aq, mid, n, False) for n in NOTIONALS])
        depths.append(sum(p * q for p, q in bids) + sum(p * q for p, q in asks))
    return {
        "frames": frames, "time": time_ns, "notionals": NOTIONALS,
        "long": [float(x) for x in np.median(np.array(long_costs), axis=0)],
        "short": [float(x) for x in np.median(np.array(short_costs), axis=0)],
        "depth": float(np.median(depths)),
    }


if __name__ == "__main__":
    main()
