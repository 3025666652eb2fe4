#!/usr/bin/env python3
"""Binance trades and best bid/ask into Fulcrum through cryptofeed's own ZeroMQ backends.

Run Fulcrum with the matching configuration, then this script (it needs the network to reach Binance):

    fulcrum run --config examples/cryptofeed/fulcrum.yaml
    python3 examples/cryptofeed/feedhandler.py            # --port, --host, --symbol to change them

cryptofeed's `TradeZMQ` and `TickerZMQ` each open a PUB socket that *connects* to tcp://HOST:PORT, where Fulcrum's
feed `binance` binds (`bind: true`). Each message is one frame, `BINANCE-trades-BTC-USDT {json}` or
`BINANCE-ticker-BTC-USDT {json}` (the backend's default keys `trades` and `ticker`), which the feed's
`topicPrefixes` and `encoding: cryptofeed` read. Tickers from Binance carry no exchange time, so the backend stamps
them at receipt; the configuration's `estimation.lateness` covers that lag (protocols/README.md).

`zmq_callbacks` is what the test (Tests/FulcrumIntegrationTests/CryptofeedExampleTests.swift) drives against the
real binary, with cryptofeed's Trade and Ticker types and no network.
"""
import argparse

from cryptofeed.backends.zmq import TickerZMQ, TradeZMQ
from cryptofeed.defines import TICKER, TRADES

# The symbols of the configuration's `ingest.symbols.allowList`.
SYMBOLS = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
# The endpoint of the configuration's feed `binance`.
HOST, PORT = "127.0.0.1", 5555


def zmq_callbacks(host=HOST, port=PORT):
    """cryptofeed callbacks publishing trades and tickers to the Fulcrum feed bound at tcp://host:port."""
    return {TRADES: TradeZMQ(host=host, port=port), TICKER: TickerZMQ(host=host, port=port)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=HOST, help="where Fulcrum's cryptofeed feed binds")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--symbol", action="append", help="a symbol to follow (repeat); default: " + ", ".join(SYMBOLS))
    args = parser.parse_args(argv)

    # Imported here: the exchange module is only needed to run against Binance, not to build the callbacks.
    from cryptofeed import FeedHandler
    from cryptofeed.exchanges import Binance

    handler = FeedHandler()
    handler.add_feed(Binance(symbols=args.symbol or SYMBOLS, channels=[TRADES, TICKER],
                             callbacks=zmq_callbacks(args.host, args.port)))
    handler.run()


if __name__ == "__main__":
    main()
