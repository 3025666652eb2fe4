"""Writes the seed corpus of the fuzz targets into Fuzz/Corpus/ (run anywhere inside the checkout):

    python3 -m fulcrum_tools.fuzz.make_corpus

Seeds are valid messages plus one of each kind of bad input the ingest path must reject, so that the fuzzers
start from every branch of the decoders and validators instead of discovering the formats from scratch.
Protobuf is encoded by hand (fulcrum_tools.wire) from fulcrum.v1.Tick (protocols/fulcrum/v1/tick.proto) and
fulcrum.v1.MarketUpdate (market.proto): the `market` seeds follow MarketUpdateHarness, which sends a two-level book
snapshot of SIM BTC-USD (bids 43000, 42999; asks 43001, 43002) before each of them.
"""
import os
import sys

from fulcrum_tools import wire
from fulcrum_tools.paths import repository_root
from fulcrum_tools.wire import field_bytes, field_double, field_varint, varint

START_NS = 1_700_000_000 * 1_000_000_000  # IngestScript.startTime


def tick(venue="BINANCE", symbol="BTC-USD", price=43000.5, bid=None, ask=None, size=0.25, side=1,
         time_ns=START_NS, sequence=None):
    """A Tick with the corpus's defaults (a Binance BTC-USD buy at the ingest script's start time)."""
    return wire.tick(venue, symbol, price, bid, ask, size, side, exchange_time_ns=time_ns, feed_sequence=sequence)


def trade(exchange="COINBASE", symbol="BTC-USD", price="43000.12", amount="0.5", side="buy",
          timestamp="1700000000.25", key="trades"):
    return wire.cryptofeed_trade(exchange, symbol, price, amount, timestamp, "1700000000.3", side=side, channel=key)


def ticker(exchange="BINANCE", symbol="ETH-USDT", bid="2000.1", ask="2000.2", timestamp="1700000000.5"):
    return wire.cryptofeed_ticker(exchange, symbol, bid, ask, timestamp, "1700000000.6")


NAN = float("nan")
INF = float("inf")

PROTOBUF = {
    "valid": tick(),
    "valid-quote": tick(bid=43000.0, ask=43001.0, sequence=17),
    "valid-sell-no-size": tick(venue="KRAKEN", symbol="ETH-USD", price=2000.0, size=None, side=2),
    "unknown-fields-and-group": b"\x5b\x08\x01\x5c" + b"\x9a\x01\x03abc" + b"\x95\x01\x00\x00\x00\x00" + tick(),
    "repeated-field-last-wins": tick(price=1.0) + field_double(3, 43000.0),
    "truncated": tick()[:-3],
    "bad-wire-type": varint(3 << 3 | 0) + varint(5) + tick(),
    "field-zero": b"\x00\x01" + tick(),
    "overlong-varint": field_varint(8, 1)[:1] + b"\xff" * 10 + b"\x01",
    "length-past-end": varint(1 << 3 | 2) + varint(1000) + b"BINANCE",
    "nan-price": tick(price=NAN),
    "inf-price": tick(price=-INF),
    "zero-price": tick(price=0.0),
    "negative-price": tick(price=-5.0),
    "absurd-price": tick(price=1e300),
    "missing-symbol": tick(symbol=None),
    "empty-venue": tick(venue=""),
    "future": tick(time_ns=START_NS + 3600 * 10**9),
    "past": tick(time_ns=START_NS - 3600 * 10**9),
    "crossed": tick(bid=43002.0, ask=43001.0),
    "negative-size": tick(size=-1.0),
    "binary-symbol": tick(symbol="BTC\x00\x7f\xff-USD"),
    "deep-groups": b"\x0b" * 70 + b"\x0c" * 70,
}

SECOND = 10**9


def level(price, size):
    """A BookLevel."""
    return field_double(1, price) + field_double(2, size)


def market(body_field, body, venue="SIM", symbol="BTC-USD", time_ns=START_NS):
    """A MarketUpdate: venue, symbol, exchange time, then one of the fields 20 ... 24 (book, funding, open interest,
    liquidation, candle) holding `body`."""
    out = bytearray()
    if venue is not None:
        out += field_bytes(1, venue.encode())
    if symbol is not None:
        out += field_bytes(2, symbol.encode())
    out += field_varint(8, time_ns)
    return bytes(out) + field_bytes(body_field, body)


def book(bids=(), asks=(), snapshot=False):
    out = field_varint(1, 1) if snapshot else b""
    return out + b"".join(field_bytes(2, level(*l)) for l in bids) + b"".join(field_bytes(3, level(*l)) for l in asks)


MARKET = {
    "book-snapshot": market(20, book([(43000.5, 1.5), (42999.0, 3.0)], [(43001.5, 0.5)], snapshot=True)),
    "book-delta": market(20, book([(43000.0, 0.0), (42998.0, 4.0)], [(43001.0, 2.5)])),
    "book-delta-gap": market(20, book([(100.0, 1.0)]), symbol="ETH-USD"),
    "book-crossed": market(20, book([(43001.5, 1.0)])),
    "book-negative-size": market(20, book([(42999.5, -1.0)])),
    "book-nan-price": market(20, book(asks=[(NAN, 1.0)])),
    "book-out-of-order": market(20, book([(42999.5, 1.0)]), time_ns=START_NS - SECOND),
    "funding": market(21, field_double(1, 43005.1) + field_double(2, 43003.0) + field_double(3, 0.0001)),
    "funding-missing-mark": market(21, field_double(3, 0.0001)),
    "open-interest": market(22, field_double(1, 12345.6)),
    "open-interest-zero": market(22, field_double(1, 0.0)),
    "liquidation": market(23, field_varint(1, 2) + field_double(2, 1.2) + field_double(3, 42950.0)),
    "candle": market(24, field_varint(1, START_NS - 60 * SECOND) + field_varint(2, START_NS) + field_double(3, 10.0)
                     + field_double(4, 43000.0)),
    "candle-in-progress": market(24, field_varint(1, START_NS - 30 * SECOND) + field_varint(2, START_NS + 30 * SECOND)
                                 + field_double(3, 4.0) + field_double(4, 43000.0) + field_varint(5, 1)),
    "last-oneof-wins": market(22, field_double(1, 5.0)) + field_bytes(21, field_double(1, 43002.0)),
    "missing-venue": market(22, field_double(1, 1.0), venue=None),
    "truncated": market(20, book([(43000.5, 1.5)], snapshot=True))[:-5],
    "bad-wire-type": field_bytes(1, b"SIM") + field_bytes(2, b"BTC-USD") + field_varint(8, START_NS)
                     + field_varint(21, 7),
    "tick": tick(venue="SIM", symbol="BTC-USD", price=43000.5, sequence=1),
    "tick-no-price": wire.tick("SIM", "BTC-USD", exchange_time_ns=START_NS),
}

CRYPTOFEED = {
    "trade": trade(),
    "trade-string-numbers": trade(price='"61.37"', amount='"4.2"', symbol="SOL-USD"),
    "trade-exponent": trade(price="4.3e4", amount="1e-8"),
    "trade-escaped": b'COINBASE-trades-BTC-USD {"exchange":"COIN\\u0042ASE","symbol":"BTC\\u002dUSD","side":"buy",'
                     b'"amount":0.5,"price":43000.12,"timestamp":1700000000.25}',
    "ticker": ticker(),
    "fills-ignored": b'COINBASE-fills-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","side":"buy","amount":1,'
                     b'"price":43000,"timestamp":1700000000.5}',
    # The market-data channels (BookZMQ, FundingZMQ, OpenInterestZMQ, LiquidationsZMQ, CandlesZMQ shapes).
    "book-snapshot": b'COINBASE-book-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","book":{"bid":{"43000.5":1.5,'
                     b'"43000":"2"},"ask":{"43001":0.7,"43002.5":3}},"timestamp":1700000000.5,'
                     b'"receipt_timestamp":1700000000.51}',
    "book-delta-gap": b'COINBASE-book-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","delta":{"bid":[[43000.5,0]],'
                      b'"ask":[["43001.5","1.25"]]},"timestamp":1700000000.6}',
    "book-negative-size": b'COINBASE-book-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","book":{"bid":'
                          b'{"43000":-1},"ask":{}},"timestamp":1700000000.5}',
    "book-crossed": b'COINBASE-book-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","book":{"bid":{"43002":1},'
                    b'"ask":{"43001":1}},"timestamp":1700000000.5}',
    "funding": b'BINANCE-funding-BTC-USDT-PERP {"exchange":"BINANCE","symbol":"BTC-USDT-PERP","mark_price":43005.1,'
               b'"rate":0.0001,"next_funding_time":1700003600,"predicted_rate":null,"timestamp":1700000000.5}',
    "open-interest": b'BINANCE-open_interest-BTC-USDT-PERP {"exchange":"BINANCE","symbol":"BTC-USDT-PERP",'
                     b'"open_interest":12345.6,"timestamp":1700000000.5}',
    "liquidation": b'BINANCE-liquidations-BTC-USDT-PERP {"exchange":"BINANCE","symbol":"BTC-USDT-PERP","side":"sell",'
                   b'"quantity":1.2,"price":42950,"id":"l1","status":"filled","timestamp":1700000000.5}',
    "candle": b'COINBASE-candles-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","start":1699999940,'
              b'"stop":1700000000,"interval":"1m","trades":null,"open":1,"close":43000,"high":43010,"low":42990,'
              b'"volume":10,"closed":true,"timestamp":1700000000.5}',
    "bare-topic": b"trades " + trade().split(b" ", 1)[1],
    "no-space": b"COINBASE-trades-BTC-USD",
    "not-object": b"COINBASE-trades-BTC-USD [1,2,3]",
    "invalid-json": b'COINBASE-trades-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","price":43000.12,',
    "missing-price": b'COINBASE-trades-BTC-USD {"exchange":"COINBASE","symbol":"BTC-USD","amount":1,'
                     b'"timestamp":1700000000.25}',
    "null-price": trade(price="null"),
    "nan-price": trade(price="NaN"),
    "huge-exponent": trade(price="1e999999999999"),
    "negative-price": trade(price="-1"),
    "bad-timestamp": trade(timestamp="1e30"),
    "crossed-ticker": ticker(bid="2001", ask="2000"),
    "deep-nesting": b"COINBASE-trades-BTC-USD {\"x\":" + b"[" * 200 + b"]" * 200 + b"}",
}


def script(messages):
    """Encodes (feed, frame_count, advance, first, second) tuples in the IngestScript format."""
    out = bytearray()
    for feed, frames, advance, first, second in messages:
        first, second = first[:255], second[:255]
        out.append((feed & 3) | (frames & 3) << 2 | (advance & 15) << 4)
        out.append(len(first))
        out.append(len(second))
        out += first + second
    return bytes(out)


def pb(tick_bytes, advance=1, topic=b"tick.BINANCE.BTC-USD", feed=0):
    return (feed, 2, advance, topic, tick_bytes)


def cf(frame, advance=1):
    return (1, 1, advance, frame, b"")


INGEST = {
    "steady-two-venues": script(
        [pb(tick(venue=v, price=43000 + k + (0.5 if v == "KRAKEN" else 0), time_ns=START_NS + k * SECOND // 4,
                 sequence=k + 1), advance=1 if v == "BINANCE" else 0)
         for k in range(8) for v in ("BINANCE", "KRAKEN")]),
    "duplicates-and-out-of-order": script(
        [pb(tick(time_ns=START_NS + SECOND, sequence=5)), pb(tick(time_ns=START_NS + SECOND, sequence=5), 0),
         pb(tick(time_ns=START_NS + SECOND // 2, sequence=6), 0), pb(tick(time_ns=START_NS + SECOND, sequence=4), 0)]),
    "symbol-cap": script([pb(tick(symbol="S%d" % k, time_ns=START_NS + k * SECOND // 4)) for k in range(7)]),
    "venue-cap": script([pb(tick(venue="V%d" % k, time_ns=START_NS + k * SECOND // 4)) for k in range(5)]),
    "jump-quarantine": script(
        [pb(tick(venue=v, price=p, time_ns=START_NS + k * SECOND // 4))
         for k, (v, p) in enumerate([("BINANCE", 100.0), ("KRAKEN", 100.1), ("COINBASE", 100.05),
                                     ("BINANCE", 180.0), ("BINANCE", 181.0), ("KRAKEN", 100.2)])]),
    "mixed-hostile": script(
        [pb(PROTOBUF["valid"]), pb(PROTOBUF["truncated"], 0), pb(PROTOBUF["nan-price"], 0), cf(CRYPTOFEED["trade"]),
         cf(CRYPTOFEED["invalid-json"], 0), (0, 1, 0, b"tick.BINANCE.BTC-USD", b""), (0, 3, 0, b"tick", b"x"),
         (2, 2, 0, b"quote.X", PROTOBUF["valid"]), (3, 2, 0, b"tick", PROTOBUF["valid"]),
         pb(PROTOBUF["future"], 0), pb(PROTOBUF["past"], 0), cf(CRYPTOFEED["fills-ignored"], 0),
         pb(tick(time_ns=START_NS + 2 * SECOND), 8)]),
    "oversized": script([pb(tick(symbol="X" * 200), 1, topic=b"t" * 150)]),
    "cryptofeed-session": script([cf(trade(price="%d.5" % (43000 + k), timestamp="1700000000.%d" % (k + 1)))
                                  for k in range(6)] + [cf(ticker())]),
}


def write(corpus, directory, seeds):
    path = os.path.join(corpus, directory)
    os.makedirs(path, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(path, name), "wb") as handle:
            handle.write(data)


def main():
    corpus = os.path.join(repository_root(), "Fuzz", "Corpus")
    write(corpus, "protobuf", PROTOBUF)
    write(corpus, "cryptofeed", CRYPTOFEED)
    write(corpus, "ingest", INGEST)
    write(corpus, "market", MARKET)
    print("wrote %d seeds under %s" % (len(PROTOBUF) + len(CRYPTOFEED) + len(INGEST) + len(MARKET), corpus),
          file=sys.stderr)


if __name__ == "__main__":
    main()
