"""Recomputes a backtest report's margin coverage from the raw daily bars, independently of Fulcrum.

Usage: python3 -m fulcrum_tools.backtest.check_coverage REPORT.json SYMBOL=BARS.csv [SYMBOL=BARS.csv ...]

For each asset it takes the report's per-step published maintenance margin (series.maintenance), the step's
date label and status, and the close of that date from the raw CSV; it checks that the replayed price is that
close, then scores non-overlapping horizons as the report defines them: a horizon opens at a step that is not
warming up, closes at the first step at least horizonNs later, and is an exception when the close moved by more
than the margin in force at its start in either direction (|P_end / P_start - 1| > MMF); the next horizon opens
at the closing step if it is eligible, else at the next eligible step. Kupiec's LR and its chi-square(1) p-value
come from scipy. Prints one JSON object: {symbol: {observations, exceptions, rate, targetRate, kupiec, pValue,
rejects, pricesChecked}}.
"""
import csv
import json
import math
import sys

from scipy.stats import chi2


def kupiec(n: int, x: int, p: float) -> float:
    if n == 0:
        return 0.0
    pi = x / n
    value = 0.0
    if x < n:
        value += (n - x) * (math.log(1 - pi) - math.log(1 - p))
    if x > 0:
        value += x * (math.log(pi) - math.log(p))
    return max(2 * value, 0.0)


def closes(path: str) -> dict:
    with open(path, newline="") as handle:
        return {row["Date"]: float(row["Close"]) for row in csv.DictReader(handle) if row["Close"] not in ("", "null")}


def main() -> int:
    report = json.load(open(sys.argv[1]))
    bars = dict(argument.split("=", 1) for argument in sys.argv[2:])
    result = {}
    for asset in report["assets"]:
        symbol = asset["symbol"]
        close = closes(bars[symbol])
        series = asset["series"]
        times, labels = series["timeNs"], series["label"]
        mmf, status = series["maintenance"], series["status"]
        prices = []
        checked = 0
        for index, label in enumerate(labels):
            raw = close.get(label)
            replayed = series["price"][index]
            if raw is not None and replayed is not None:
                if abs(replayed - raw) > 1e-9 * raw:
                    raise SystemExit(f"{symbol} {label}: report price {replayed} is not the close {raw}")
                checked += 1
            prices.append(raw)
        horizon = asset["horizonNs"]

        def eligible(i: int) -> bool:
            return status[i] != "warming" and prices[i] is not None and mmf[i] is not None and mmf[i] > 0

        n = x = 0
        start = next((i for i in range(len(times)) if eligible(i)), None)
        while start is not None:
            end = next((j for j in range(start + 1, len(times))
                        if times[j] - times[start] >= horizon and prices[j] is not None), None)
            if end is None:
                break
            n += 1
            if abs(prices[end] / prices[start] - 1) > mmf[start]:
                x += 1
            start = next((i for i in range(end, len(times)) if eligible(i)), None)
        target = min(2 * asset["tailProbability"], 1.0)
        statistic = kupiec(n, x, target)
        p_value = float(chi2.sf(statistic, 1))
        result[symbol] = {"observations": n, "exceptions": x, "rate": x / n if n else 0.0, "targetRate": target,
                          "kupiec": statistic, "pValue": p_value, "rejects": p_value < 0.05,
                          "pricesChecked": checked}
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
