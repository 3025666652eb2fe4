"""Protocol health recomputed in Python from what Fulcrum was given: order books, positions and its published parameters.

    python3 -m fulcrum_tools.reference.health_from_books INPUT.json   ->  JSON on standard output

INPUT holds, per market, the book as sent (price levels, best first), the mark, horizon sigma and tier schedule
Fulcrum's health message says it valued with; the positions and collateral as the position source sent them; the
hypothetical shocks, fee, confidence and insurance fund of the configuration; and the notionals the impact curve is
sampled at. Independently of Fulcrum's code:

1. each side of each book is walked at every notional (``book_impact.walk``: VWAP distance from the mid, square-root
   extension past the visible depth);
2. the sampled costs c_i become levels of a depth curve: level i holds N_i - N_{i-1} at the marginal offset
   (c_i N_i - C_{i-1}) / (N_i - N_{i-1}), raised to the previous level's offset where it dips, C being the levels'
   own cumulative cost (protocols/README.md, "Protocol health");
3. margin units are formed (one per cross account, one per isolated position), valued at the marks, and run through
   the liquidation cascade of ``cascade_vectors`` for every shock; VaR and LaR are numpy inverted-CDF quantiles.

Prints {"equity", "maintenance", "liquidatable_units", "markets": [{"long", "short", "liquidatable",
"tail_bad_debt"}], "bad_debt_at_risk", "expected_shortfall", "liquidations_at_risk", "mean_bad_debt",
"deepest_cascade", "levels": {...}}.
"""
import json
import math
import sys

import numpy as np

from fulcrum_tools.reference import cascade_vectors
from fulcrum_tools.reference.book_impact import walk


def levels_from_costs(notionals, costs):
    levels, previous_notional, previous_cost, previous_offset = [], 0.0, 0.0, 0.0
    for notional, cost in zip(notionals, costs):
        width = notional - previous_notional
        offset = max((cost * notional - previous_cost) / width, previous_offset)
        levels.append((offset, width))
        previous_notional, previous_offset = notional, offset
        previous_cost += offset * width
    return levels


def side_costs(book, notionals, is_bid):
    levels = book["bid"] if is_bid else book["ask"]
    mid = book["bid"][0][0] * 0.5 + book["ask"][0][0] * 0.5
    prices, sizes = [p for p, _ in levels], [q for _, q in levels]
    return [walk(prices, sizes, mid, n, is_bid) for n in notionals]


def markets_of(spec):
    markets = []
    for market in spec["markets"]:
        notionals = spec["notionals"]
        bids = levels_from_costs(notionals, side_costs(market["book"], notionals, True))
        asks = levels_from_costs(notionals, side_costs(market["book"], notionals, False))
        markets.append(dict(price=market["mark"], sigma=market["sigma"], tiers=[tuple(t) for t in market["tiers"]],
                            bids=cascade_vectors.Side(bids, 1.0), asks=cascade_vectors.Side(asks, math.inf),
                            capacity=math.inf))
    return markets


def units_of(spec):
    cross, units = {}, []
    for position in spec["positions"]:
        entry = (position["market"], position["size"], position["entry"])
        if position["isolated"]:
            units.append(dict(account=position["account"], collateral=position["collateral"], positions=[entry]))
        else:
            cross.setdefault(position["account"], []).append(entry)
    for account, positions in sorted(cross.items()):
        units.append(dict(account=account, collateral=spec["collateral"].get(str(account), 0.0), positions=positions))
    return units


def main():
    with open(sys.argv[1]) as handle:
        spec = json.load(handle)
    cascade_vectors.FEE = spec["fee"]
    markets = markets_of(spec)
    units = units_of(spec)
    marks = [m["price"] for m in markets]
    equity = maintenance = 0.0
    liquidatable_units = 0
    per_market = [dict(long=0.0, short=0.0, liquidatable=0.0, tail_bad_debt=0.0) for _ in markets]
    for unit in units:
        e, m = cascade_vectors.value(unit, marks, markets)
        equity += e
        maintenance += m
        for (index, size, _) in unit["positions"]:
            notional = abs(size) * marks[index]
            per_market[index]["long" if size > 0 else "short"] += notional
            if e < m:
                per_market[index]["liquidatable"] += notional
        liquidatable_units += e < m
    shocks = [[s] * len(markets) for s in spec["shocks"]]
    outcomes = [cascade_vectors.cascade(units, markets, s) for s in shocks]
    debt = np.array([o["bad_debt"] for o in outcomes])
    notional = np.array([o["notional"] for o in outcomes])
    confidence = spec["confidence"]
    rank = min(max(math.ceil(confidence * len(debt)) - 1, 0), len(debt) - 1)
    order = sorted(range(len(debt)), key=lambda i: (debt[i], i))
    for i in order[rank:]:
        for index, part in enumerate(outcomes[i]["market_debt"]):
            per_market[index]["tail_bad_debt"] += part
    print(json.dumps(dict(
        equity=equity, maintenance=maintenance, liquidatable_units=int(liquidatable_units), markets=per_market,
        bad_debt_at_risk=float(np.quantile(debt, confidence, method="inverted_cdf")),
        expected_shortfall=float(np.mean(debt[order[rank:]])),
        liquidations_at_risk=float(np.quantile(notional, confidence, method="inverted_cdf")),
        mean_bad_debt=float(np.mean(debt)), deepest_cascade=max(o["rounds"] for o in outcomes),
        bad_debts=[float(d) for d in debt])))


if __name__ == "__main__":
    main()
