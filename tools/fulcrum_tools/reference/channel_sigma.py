"""Reference σ on the event-time grid for the ticks that were sent, independent of the Swift code.

Input: the JSON lines a cryptofeed feeder wrote (``{"channel", "symbol", "json"}`` with "json" the text on the
wire), or, with ``--csv``, lines ``symbol,time_ns,price`` (prices as shortest round-trip decimals, e.g. the
unfiltered ticks of a test). The documented grid convention, with numpy/pandas:

  * exchange time = the JSON ``timestamp`` (decimal seconds) scaled to nanoseconds from its digits, rounded to the
    nearest nanosecond; price = trade ``price``, or ticker ``bid*0.5 + ask*0.5``;
  * grid boundaries at whole multiples of the interval; an asset's price for the interval closed at boundary b is
    the price of its tick with the latest exchange time before b, whatever the channel (``merge_asof`` with
    ``allow_exact_matches=False``); the grid starts at the first boundary after the first tick of any asset;
  * r = ln(P_k / P_{k-1}) from the second boundary after an asset's first price; EWMA variance
    ``ewm(alpha=1-λ, adjust=True).mean()`` of r² with λ = 2^(-interval/halfLife); σ_step = sqrt of it.

Prints ``{symbol: {boundary_ns: sigma_step}}`` for every boundary up to ``--last`` (ns) as JSON.

    python3 -m fulcrum_tools.reference.channel_sigma LOG [--csv] --interval NS --half-life NS --last NS
"""
import argparse
import json
import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd


def nanoseconds(text_value):
    return int((Decimal(text_value) * 1_000_000_000).to_integral_value(rounding=ROUND_HALF_EVEN))


def read_ticks(path):
    rows = []
    with open(path) as lines:
        for line in lines:
            record = json.loads(line)
            update = json.loads(record["json"], parse_float=str, parse_int=str)
            if record["channel"] == "trades":
                price = float(update["price"])
            else:
                price = float(update["bid"]) * 0.5 + float(update["ask"]) * 0.5
            rows.append((record["symbol"], nanoseconds(update["timestamp"]), price))
    return pd.DataFrame(rows, columns=["symbol", "time", "price"])


def read_csv(path):
    frame = pd.read_csv(path, names=["symbol", "time", "price"], dtype={"symbol": str, "time": np.int64},
                        converters={"price": float})
    return frame


def sigmas(ticks, interval, half_life, last):
    lam = 2.0 ** (-interval / half_life)
    first_boundary = (int(ticks["time"].min()) // interval + 1) * interval
    result = {}
    for symbol, group in ticks.groupby("symbol"):
        ordered = group.sort_values("time", kind="stable")
        if ordered["time"].duplicated().any():
            raise SystemExit(f"{symbol}: two ticks at the same exchange time; the convention needs an order")
        boundaries = pd.DataFrame({"time": np.arange(first_boundary, last + 1, interval, dtype=np.int64)})
        sampled = pd.merge_asof(boundaries, ordered[["time", "price"]], on="time", allow_exact_matches=False)
        sampled = sampled.dropna()
        prices = sampled["price"].to_numpy()
        returns = np.log(prices[1:] / prices[:-1])
        variance = pd.Series(returns * returns).ewm(alpha=1.0 - lam, adjust=True).mean().to_numpy()
        times = sampled["time"].to_numpy()[1:]
        result[symbol] = {str(int(t)): math.sqrt(v) for t, v in zip(times, variance)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log")
    parser.add_argument("--csv", action="store_true", help="lines symbol,time_ns,price instead of JSON lines")
    parser.add_argument("--interval", type=int, required=True)
    parser.add_argument("--half-life", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    arguments = parser.parse_args()
    ticks = read_csv(arguments.log) if arguments.csv else read_ticks(arguments.log)
    print(json.dumps(sigmas(ticks, arguments.interval, arguments.half_life, arguments.last)))


if __name__ == "__main__":
    main()
