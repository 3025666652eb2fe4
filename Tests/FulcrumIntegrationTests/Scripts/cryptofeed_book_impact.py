#!/usr/bin/env python3
"""The impact-curve reference's books through cryptofeed's own BookZMQ sockets to the fulcrum binary.

Builds the books of `fulcrum_tools.reference.book_impact` (three venues of BTC-USDT: full book then deltas, the
third with snapshots_only) at the current time and hands each book to a real BookZMQ per venue, connected to
Fulcrum's bound SUB, and to the reference's recorder; then TradeZMQ trades of BTC-USDT on BINANCE for SECONDS, so
that the grid steps (each step walks the books). Prints the reference (numpy's walk of the recorded frames) as
one JSON line.

    cryptofeed_book_impact.py PORT SEED SCALE SECONDS
"""
import asyncio
import json
import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))

from cryptofeed.backends.zmq import BookZMQ, TradeZMQ  # noqa: E402
from cryptofeed.types import Trade  # noqa: E402
from fulcrum_tools.reference import book_impact  # noqa: E402


async def main(port, seed, scale, seconds):
    loop = asyncio.get_running_loop()
    # One BookZMQ per venue, in the reference's venue order (the third with snapshots_only), and the trades.
    senders = [BookZMQ(host="127.0.0.1", port=port, snapshots_only=only) for only in (False, False, True)]
    trades = TradeZMQ(host="127.0.0.1", port=port)
    for callback in senders + [trades]:
        callback.start(loop)
    # Let the PUB sockets connect before anything is sent (a PUB drops what it sends before that).
    await asyncio.sleep(1.5)
    queue = list(senders)

    def sender_for(snapshots_only):
        sender = queue.pop(0)
        assert sender.snapshots_only == snapshots_only
        return sender

    start = time.time()
    frames, time_ns = await book_impact.frames_for(seed, scale, t=start, sender_for=sender_for)
    # The books are in before the first trade starts the grid.
    await asyncio.sleep(1.0)
    step = 0
    while time.time() - start < 1.0 + seconds:
        now = time.time()
        await trades(Trade("BINANCE", book_impact.SYMBOL, "buy" if step % 2 else "sell", Decimal("0.01"),
                           Decimal("43000.5"), now), now)
        step += 1
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    for callback in senders + [trades]:
        await callback.stop()
    await asyncio.sleep(0.2)
    print(json.dumps(book_impact.reference(frames, time_ns)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])))
