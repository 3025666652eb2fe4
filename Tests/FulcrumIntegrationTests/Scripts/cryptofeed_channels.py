#!/usr/bin/env python3
"""cryptofeed's standard setup, in real time: TradeZMQ and TickerZMQ on their own PUB sockets, both connecting to
Fulcrum's bound SUB; tickers carry no event time (as Binance's bookTicker), so the backend stamps them with the
receipt time, which lags the trades by 20-80 ms (a slowly varying lag: each channel stays in time order).

Writes every update it hands to a backend, as JSON lines {"channel", "symbol", "json"}, where "json" is the text the
backend puts on the wire (the same dict, the same yapic serializer), so that a reference can read the exact numbers.

    cryptofeed_channels.py PORT SECONDS LOG
"""
import asyncio
import json as std_json
import math
import sys
import time
from decimal import Decimal

from cryptofeed.backends.zmq import TickerZMQ, TradeZMQ
from cryptofeed.types import Ticker, Trade
from yapic import json

SYMBOLS = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "DOGE-USDT", "ADA-USDT"]
LEVELS = [65000.0, 3400.0, 150.0, 0.6, 0.15, 0.45]
STEP = 0.05


def level(i, t):
    """Asset i's price at time t: a smooth path with a few basis points of movement per step."""
    return LEVELS[i] * math.exp(0.002 * math.sin(t * (0.7 + 0.13 * i) + i) + 0.001 * math.sin(t * (3.1 + 0.2 * i)))


def rounded(value):
    return Decimal(f"{value:.6g}")


def wire_text(update, receipt):
    """What BackendCallback.__call__ and ZMQCallback.writer put on the wire, after the topic."""
    data = update.to_dict(numeric_type=float)
    if not update.timestamp:
        data["timestamp"] = receipt
    data["receipt_timestamp"] = receipt
    return json.dumps(data)


async def main(port, seconds, log_path):
    loop = asyncio.get_running_loop()
    trades = TradeZMQ(host="127.0.0.1", port=port)
    tickers = TickerZMQ(host="127.0.0.1", port=port)
    trades.start(loop)
    tickers.start(loop)
    # The sockets connect and Fulcrum's subscription reaches them before the first update.
    await asyncio.sleep(1.5)
    # Fulcrum's grid starts at the interval of the first tick it sees, and a tick stamped before that interval is
    # late by design. The first trades must therefore not follow a whole second by less than the tickers' lag
    # (at most 80 ms), or each symbol's first ticker would precede the grid: start at least 200 ms past one.
    phase = time.time() % 1.0
    if phase < 0.2:
        await asyncio.sleep(0.2 - phase)
    sent = 0
    last_ticker = [0.0] * len(SYMBOLS)
    with open(log_path, "w") as log:
        start = time.time()
        step = 0
        while time.time() - start < seconds:
            now = time.time()
            # 50 +- 30 ms, varying at most 38 ms per second: receipt stamps stay in time order.
            lag = 0.050 + 0.030 * math.sin(2 * math.pi * (now - start) / 5.0)
            for i, symbol in enumerate(SYMBOLS):
                price = rounded(level(i, now))
                trade = Trade("BINANCE", symbol, "buy" if (step + i) % 2 else "sell", Decimal("0.1"), price, now)
                stamped = max(now - lag, last_ticker[i] + 1e-6)
                last_ticker[i] = stamped
                mid = level(i, stamped)
                ticker = Ticker("BINANCE", symbol, rounded(mid * 0.9999), rounded(mid * 1.0001), None)
                log.write(std_json.dumps({"channel": "trades", "symbol": symbol, "json": wire_text(trade, now)}) + "\n")
                log.write(std_json.dumps({"channel": "ticker", "symbol": symbol,
                                          "json": wire_text(ticker, stamped)}) + "\n")
                await trades(trade, now)
                await tickers(ticker, stamped)
                sent += 2
            step += 1
            await asyncio.sleep(STEP)
    await asyncio.sleep(0.5)
    await trades.stop()
    await tickers.stop()
    await asyncio.sleep(0.2)
    print(f"sent {sent}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]))
