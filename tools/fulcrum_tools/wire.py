"""Fulcrum's wire formats written by hand, without protoc: protobuf varints and fields, `fulcrum.v1.Tick`
(protocols/fulcrum/v1/tick.proto), the frames of a protobuf feed and of the risk feed, and the frames cryptofeed's
ZeroMQ backends publish.

Tick fields: 1 venue, 2 symbol (string), 3 price, 4 bid, 5 ask, 6 size (double), 7 side (enum),
8 exchange_time_ns, 9 receipt_time_ns (int64), 10 feed_sequence (uint64). Fields are written in that order and
a field given as None is left out (a field that protoc's classes would leave out at its default value has to be
given as None here: a hostile or test input may want it written).
"""
import struct

_SEQUENCE = struct.Struct(">Q")


def varint(value: int) -> bytes:
    """Base-128 varint of `value` as a 64-bit integer (a negative int64 takes ten bytes, as in protobuf)."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number: int, data: bytes) -> bytes:
    """A length-delimited field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_double(number: int, value: float) -> bytes:
    """A 64-bit field (wire type 1) holding a little-endian double."""
    return varint(number << 3 | 1) + struct.pack("<d", value)


def field_varint(number: int, value: int) -> bytes:
    """A varint field (wire type 0)."""
    return varint(number << 3) + varint(value)


def _utf8(text) -> bytes:
    return text.encode() if isinstance(text, str) else text


def tick(venue=None, symbol=None, price=None, bid=None, ask=None, size=None, side=0, exchange_time_ns=None,
         receipt_time_ns=None, feed_sequence=None) -> bytes:
    """A serialized `fulcrum.v1.Tick`; venue and symbol as str (UTF-8) or bytes; side 0 (unspecified) is left out."""
    out = bytearray()
    if venue is not None:
        out += field_bytes(1, _utf8(venue))
    if symbol is not None:
        out += field_bytes(2, _utf8(symbol))
    for number, value in ((3, price), (4, bid), (5, ask), (6, size)):
        if value is not None:
            out += field_double(number, value)
    if side:
        out += field_varint(7, side)
    for number, value in ((8, exchange_time_ns), (9, receipt_time_ns), (10, feed_sequence)):
        if value is not None:
            out += field_varint(number, value)
    return bytes(out)


def tick_topic(venue, symbol) -> bytes:
    """The first frame of a protobuf feed message: `tick.<VENUE>.<SYMBOL>`."""
    return b"tick." + _utf8(venue) + b"." + _utf8(symbol)


def sequence_frame(sequence: int) -> bytes:
    """The last frame of a risk-feed message, `[topic, payload, sequence]`: 8 bytes, big-endian."""
    return _SEQUENCE.pack(sequence)


def read_sequence(frame: bytes) -> int:
    return _SEQUENCE.unpack(frame)[0]


def cryptofeed_trade(exchange, symbol, price, amount, timestamp, receipt_timestamp, side="buy",
                     channel="trades") -> bytes:
    """One frame as cryptofeed's TradeZMQ publishes it: `EXCHANGE-trades-SYMBOL {json}`. The numbers are given as
    the JSON text to write (so a test can write strings, exponents or invalid values)."""
    body = ('{"exchange":"%s","symbol":"%s","side":"%s","amount":%s,"price":%s,"id":"1","type":null,'
            '"timestamp":%s,"receipt_timestamp":%s}' % (exchange, symbol, side, amount, price, timestamp,
                                                       receipt_timestamp))
    return ("%s-%s-%s %s" % (exchange, channel, symbol, body)).encode()


def cryptofeed_ticker(exchange, symbol, bid, ask, timestamp, receipt_timestamp) -> bytes:
    """One frame as cryptofeed's TickerZMQ publishes it: `EXCHANGE-ticker-SYMBOL {json}` (numbers as JSON text)."""
    body = ('{"exchange":"%s","symbol":"%s","bid":%s,"ask":%s,"timestamp":%s,"receipt_timestamp":%s}'
            % (exchange, symbol, bid, ask, timestamp, receipt_timestamp))
    return ("%s-ticker-%s %s" % (exchange, symbol, body)).encode()
