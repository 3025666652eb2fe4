#!/usr/bin/env python3
"""Expands portfolio updates in factor form with the Python client library (clients/python), as a consumer would.

    python3 factor_portfolio.py TOPIC HEX [TOPIC HEX ...]

Each TOPIC/HEX pair is one published message (`portfolio` protobuf or `json.portfolio` JSON, the payload in
hex). Prints one JSON line per message: symbols, factor count and the correlation matrix the client expands
(floats written with repr, so they round-trip exactly).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "clients", "python", "src"))

from fulcrum_client import decode  # noqa: E402


def main(arguments):
    for topic, payload in zip(arguments[0::2], arguments[1::2]):
        update = decode(topic, bytes.fromhex(payload))
        matrix = [[float(value) for value in row] for row in update.correlation_matrix()]
        print(json.dumps({"topic": topic, "symbols": list(update.symbols), "factors": update.proto.factor_count,
                          "correlation": matrix}))


if __name__ == "__main__":
    main(sys.argv[1:])
