"""Recomputes a backtest report's margin coverage from the raw daily bars, independently of Fulcrum.

Usage: python3 -m fulcrum_tools.backtest.check_coverage REPORT.json SYMBOL=BARS.csv [SYMBOL=BARS.csv ...]

For each asset it takes the report's per-step published maintenance margin (series.maintenance), the step's
date label and status, and the close of that date from the raw CSV; it checks that the replayed price is that
close, then scores non-overlapping horizons as the report defines them: a horizon opens at a step that is not
warming up, closes at the first step at least horizonNs later; the next horizon opens at the closing step if it
is eligible, else at the next eligible step. A side's exception is the model's: its loss (long 1 - P_end/P_start,
short P_end/P_start - 1) beyond the margin less the liquidation cost in force at the start (series
liquidationCost), against the published MMF (series maintenance) and against the side's own fraction (series
longMaintenance, shortMaintenance). Kupiec's LR (from scipy.stats.binom.logpmf), Christoffersen's independence
LR (scipy.special.xlogy over the transition counts), conditional coverage and their chi-square p-values
(scipy.stats.chi2.sf) are computed here. Prints one JSON object: {symbol: {observations, exceptions, rate,
targetRate, kupiec, pValue, rejects, pricesChecked, sides: {coverage|long|short|longSide|shortSide: {observations,
exceptions, kupiec, kupiecP, independence, independenceP, conditionalCoverage, conditionalCoverageP}}}}.
"""
import csv
import json
import math
import sys

from scipy.stats import chi2

from fulcrum_tools.reference.coverage_vectors import independence, kupiec as kupiec_binomial, transitions


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

        cost = [c or 0.0 for c in series["liquidationCost"]]
        long_mmf, short_mmf = series["longMaintenance"], series["shortMaintenance"]
        flags = {key: [] for key in ("coverage", "long", "short", "longSide", "shortSide")}
        n = x = 0
        start = next((i for i in range(len(times)) if eligible(i)), None)
        while start is not None:
            end = next((j for j in range(start + 1, len(times))
                        if times[j] - times[start] >= horizon and prices[j] is not None), None)
            if end is None:
                break
            n += 1
            move = prices[end] / prices[start] - 1
            budget = mmf[start] - cost[start]
            flags["long"].append(int(-move > budget))
            flags["short"].append(int(move > budget))
            flags["coverage"].append(int(-move > budget or move > budget))
            flags["longSide"].append(int(-move > long_mmf[start] - cost[start]))
            flags["shortSide"].append(int(move > short_mmf[start] - cost[start]))
            x += flags["coverage"][-1]
            start = next((i for i in range(end, len(times)) if eligible(i)), None)
        epsilon = asset["tailProbability"]
        sides = {}
        for key, values in flags.items():
            p = min(2 * epsilon, 1.0) if key == "coverage" else epsilon
            uc = kupiec_binomial(len(values), sum(values), p)
            ind = independence(transitions(values))
            sides[key] = {"observations": len(values), "exceptions": sum(values), "kupiec": uc,
                          "kupiecP": float(chi2.sf(uc, 1)), "independence": ind,
                          "independenceP": float(chi2.sf(ind, 1)), "conditionalCoverage": uc + ind,
                          "conditionalCoverageP": float(chi2.sf(uc + ind, 2))}
        target = min(2 * epsilon, 1.0)
        statistic = kupiec(n, x, target)
        p_value = float(chi2.sf(statistic, 1))
        result[symbol] = {"observations": n, "exceptions": x, "rate": x / n if n else 0.0, "targetRate": target,
                          "kupiec": statistic, "pValue": p_value, "rejects": p_value < 0.05,
                          "pricesChecked": checked, "sides": sides}
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
