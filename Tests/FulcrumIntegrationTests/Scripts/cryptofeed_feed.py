#!/usr/bin/env python3
"""Feeds a running Fulcrum through cryptofeed's own ZeroMQ backends (TradeZMQ, TickerZMQ).

No exchange connection: Trade and Ticker objects are constructed here and handed to the backends
exactly as cryptofeed's feed handlers do, so the frames on the wire are cryptofeed's.

    cryptofeed_feed.py PORT SECONDS
"""
import asyncio
import math
import sys
import time
from decimal import Decimal

from cryptofeed.backends.zmq import TickerZMQ, TradeZMQ
from cryptofeed.types import Ticker, Trade


async def main(port, seconds):
    loop = asyncio.get_running_loop()
    trades = TradeZMQ(host="127.0.0.1", port=port)
    tickers = TickerZMQ(host="127.0.0.1", port=port)
    trades.start(loop)
    tickers.start(loop)
    start, step = time.time(), 0
    while time.time() - start < seconds:
        now = time.time()
        btc = Decimal(str(round(65000 * math.exp(0.002 * math.sin(step / 7.0)), 2)))
        eth_mid = 3400 * math.exp(0.003 * math.cos(step / 5.0))
        await trades(Trade("COINBASE", "BTC-USD", "buy" if step % 2 else "sell", Decimal("0.25"), btc, now), now)
        await tickers(Ticker("BINANCE", "ETH-USDT", Decimal(str(round(eth_mid - 0.05, 2))),
                             Decimal(str(round(eth_mid + 0.05, 2))), now), now)
        step += 1
        await asyncio.sleep(0.02)
    await trades.stop()
    await tickers.stop()
    await asyncio.sleep(0.2)
    print(f"sent {step} trades and {step} tickers", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
