#!/usr/bin/env python3
"""Drives examples/cryptofeed/feedhandler.py's ZeroMQ callbacks, as its FeedHandler would, without the network:
cryptofeed Trade and Ticker objects for every symbol of the example, every 50 ms for SECONDS, the tickers stamped at
receipt (no exchange time, as Binance's) 30 ms behind the trades.

    cryptofeed_example.py PORT SECONDS        prints "sent N"
"""
import asyncio
import importlib.util
import math
import pathlib
import sys
import time
from decimal import Decimal

from cryptofeed.defines import TICKER, TRADES
from cryptofeed.types import Ticker, Trade

EXAMPLE = pathlib.Path(__file__).resolve().parents[3] / "examples" / "cryptofeed" / "feedhandler.py"
LEVELS = {"BTC-USDT": 65000.0, "ETH-USDT": 3400.0, "SOL-USDT": 150.0}


def load_example():
    spec = importlib.util.spec_from_file_location("feedhandler", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def main(port, seconds):
    example = load_example()
    assert set(example.SYMBOLS) == set(LEVELS), example.SYMBOLS
    callbacks = example.zmq_callbacks("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    for backend in callbacks.values():
        backend.start(loop)
    await asyncio.sleep(1.5)  # the PUB sockets connect and Fulcrum's subscription reaches them
    sent, step, start = 0, 0, time.time()
    while time.time() - start < seconds:
        now = time.time()
        for i, symbol in enumerate(example.SYMBOLS):
            level = LEVELS[symbol] * math.exp(0.003 * math.sin(now * (0.9 + 0.2 * i)) + 0.001 * math.sin(now * 3.7))
            price = Decimal(f"{level:.6g}")
            trade = Trade("BINANCE", symbol, "buy" if (step + i) % 2 else "sell", Decimal("0.1"), price, now)
            ticker = Ticker("BINANCE", symbol, Decimal(f"{level * 0.9999:.6g}"), Decimal(f"{level * 1.0001:.6g}"), None)
            await callbacks[TRADES](trade, now)
            await callbacks[TICKER](ticker, now - 0.03)
            sent += 2
        step += 1
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    for backend in callbacks.values():
        await backend.stop()
    await asyncio.sleep(0.2)
    print(f"sent {sent}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
