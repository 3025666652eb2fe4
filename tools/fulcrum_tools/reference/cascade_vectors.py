"""Reference values for the protocol-health model, computed independently in Python from the model's text.

Usage: python3 -m fulcrum_tools.reference.cascade_vectors  ->  Tests/ProtocolHealthTests/CascadeReferenceValues.swift

A seeded small protocol (3 markets with tiered maintenance schedules and a few book levels a side, 40 accounts,
cross and isolated) is valued (equity, maintenance, distance to liquidation in sigma) and run through liquidation
cascades: hypothetical shocks, and filtered-historical draws (SplitMix64 row draws, s = exp(z * sigma_H) - 1).
The cascade follows protocols/README.md "Protocol health": reprice, liquidate every unit below maintenance (worst
margin ratio first, while its markets have liquidator capacity), close longs into the bids and shorts into the
asks walking on from earlier rounds (square-root extension past the listed depth, bid offsets capped at 1), fees
from what equity is left, bad debt = max(0, -equity), move the marks by each side's impact, repeat to a fixed
point. The walk is integrated level by level here (the Swift code uses prefix sums and a binary search).
Quantiles: numpy.quantile(method="inverted_cdf").
"""
import math
import os

import numpy as np

from fulcrum_tools.paths import repository_root

MASK = (1 << 64) - 1
FEE = 0.005


def splitmix(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


class Side:
    def __init__(self, levels, cap):
        self.levels = levels  # [(offset, notional)]
        self.cap = cap
        self.depth = sum(n for _, n in levels)

    def marginal(self, c):
        if c <= 0:
            return self.levels[0][0]
        if c > self.depth:
            return min(self.levels[-1][0] * math.sqrt(c / self.depth), self.cap)
        total = 0.0
        for offset, notional in self.levels:
            total += notional
            if c <= total:
                return offset
        return self.levels[-1][0]

    def impact(self, c):
        return self.marginal(c) - self.levels[0][0]

    def integral(self, c):
        """Integral of the marginal offset from 0 to c, level by level."""
        if c <= 0:
            return 0.0
        result, start = 0.0, 0.0
        for offset, notional in self.levels:
            end = start + notional
            take = min(c, end) - start
            if take <= 0:
                break
            result += offset * take
            start = end
        if c > self.depth:
            last, depth = self.levels[-1][0], self.depth
            if last > 0:
                # marginal = last*sqrt(x/depth) until it reaches the cap at x* = depth*(cap/last)^2.
                x_cap = depth * (self.cap / last) ** 2 if math.isfinite(self.cap) else math.inf
                upper = min(c, x_cap)
                result += last / math.sqrt(depth) * (2.0 / 3.0) * (upper ** 1.5 - depth ** 1.5)
                if c > x_cap:
                    result += self.cap * (c - x_cap)
        return result

    def average(self, a, b):
        if b <= a:
            return self.marginal(a)
        return (self.integral(b) - self.integral(a)) / (b - a)


def maintenance(tiers, notional):
    """tiers: [(lower, mmf)]; deduction by the continuity recursion."""
    deduction, index = 0.0, 0
    deductions = []
    for i, (lower, mmf) in enumerate(tiers):
        if i > 0:
            deduction += lower * (mmf - tiers[i - 1][1])
        deductions.append(deduction)
    for i, (lower, _) in enumerate(tiers):
        if lower <= notional:
            index = i
    return notional * tiers[index][1] - deductions[index], tiers[index][1]


def protocol(rng):
    markets = []
    for m, (price, sigma) in enumerate([(50_000.0, 0.03), (3_000.0, 0.04), (20.0, 0.07)]):
        tiers = [(0.0, 0.01 * (m + 1)), (1e5 * (m + 1), 0.02 * (m + 1)), (1e6, 0.05 * (m + 1))]
        bid_levels, ask_levels, offset = [], [], 0.0002 * (m + 1)
        for _ in range(4):
            bid_levels.append((offset, float(rng.uniform(5e4, 3e5))))
            ask_levels.append((offset, float(rng.uniform(5e4, 3e5))))
            offset += float(rng.uniform(0.001, 0.004))
        capacity = [math.inf, 4e5, 1.5e5][m]
        markets.append(dict(price=price, sigma=sigma, tiers=tiers, bids=Side(bid_levels, 1.0),
                            asks=Side(ask_levels, math.inf), capacity=capacity))
    accounts = []
    for account in range(40):
        isolated = account % 7 == 3
        positions = []
        for m in range(3):
            if rng.uniform() < 0.6 or (not positions and m == 2):
                leverage = float(rng.uniform(2, 30))
                notional = float(rng.uniform(1e4, 3e5))
                size = notional / markets[m]["price"] * (1 if rng.uniform() < 0.55 else -1)
                entry = markets[m]["price"] * float(1 + rng.normal(0, 0.01))
                positions.append((m, size, entry, notional / leverage))
        collateral = sum(p[3] for p in positions)
        accounts.append(dict(id=1000 + account, isolated=isolated, collateral=collateral, positions=positions))
    return markets, accounts


def units_of(accounts):
    """Margin units in creation order: the cross unit at setCollateral, isolated units at their position."""
    units = []
    for a in accounts:
        if a["isolated"]:
            for (m, size, entry, margin) in a["positions"]:
                units.append(dict(account=a["id"], collateral=margin, positions=[(m, size, entry)]))
        else:
            units.append(dict(account=a["id"], collateral=a["collateral"],
                              positions=[(m, s, e) for (m, s, e, _) in a["positions"]]))
    return units


def value(unit, marks, markets):
    equity, maint = unit["collateral"], 0.0
    for (m, size, entry) in unit["positions"]:
        equity += size * (marks[m] - entry)
        maint += maintenance(markets[m]["tiers"], abs(size) * marks[m])[0]
    return equity, maint


def health(unit, markets):
    marks = [mk["price"] for mk in markets]
    equity, maint = value(unit, marks, markets)
    sensitivity = 0.0
    for (m, size, _) in unit["positions"]:
        notional = abs(size) * marks[m]
        rate = maintenance(markets[m]["tiers"], notional)[1]
        sensitivity += notional * markets[m]["sigma"] * (1 - rate * (1 if size > 0 else -1))
    return equity, maint, (equity - maint) / sensitivity


def cascade(units, markets, shocks):
    shocked = [mk["price"] * (1 + s) for mk, s in zip(markets, shocks)]
    sold = [0.0] * len(markets)
    bought = [0.0] * len(markets)
    closed = [False] * len(units)

    def mark(m):
        return shocked[m] * (1 - markets[m]["bids"].impact(sold[m]) + markets[m]["asks"].impact(bought[m]))

    out = dict(rounds=0, liquidated=0, notional=0.0, bad_debt=0.0, fees=0.0,
               market_notional=[0.0] * len(markets), market_debt=[0.0] * len(markets))
    while True:
        marks = [mark(m) for m in range(len(markets))]
        breaching = []
        for u, unit in enumerate(units):
            if closed[u]:
                continue
            equity, maint = value(unit, marks, markets)
            if equity < maint:
                breaching.append((maint / equity if equity > 0 else math.inf, u))
        if not breaching:
            break
        out["rounds"] += 1
        breaching.sort(key=lambda item: (-item[0], item[1]))
        remaining = [mk["capacity"] for mk in markets]
        chosen = []
        for _, u in breaching:
            if all(remaining[m] > 0 for (m, _, _) in units[u]["positions"]):
                for (m, size, _) in units[u]["positions"]:
                    remaining[m] -= abs(size) * marks[m]
                chosen.append(u)
        round_sold = [0.0] * len(markets)
        round_bought = [0.0] * len(markets)
        for u in chosen:
            for (m, size, _) in units[u]["positions"]:
                if size > 0:
                    round_sold[m] += abs(size) * marks[m]
                else:
                    round_bought[m] += abs(size) * marks[m]
        sell_fill, buy_fill = [], []
        for m, mk in enumerate(markets):
            sell_fill.append(shocked[m] * (1 - mk["bids"].average(sold[m], sold[m] + round_sold[m])
                                           + mk["asks"].impact(bought[m])))
            buy_fill.append(shocked[m] * (1 + mk["asks"].average(bought[m], bought[m] + round_bought[m])
                                          - mk["bids"].impact(sold[m])))
        for u in chosen:
            equity, notional, parts = units[u]["collateral"], 0.0, []
            for (m, size, entry) in units[u]["positions"]:
                fill = sell_fill[m] if size > 0 else buy_fill[m]
                equity += size * (fill - entry)
                notional += abs(size) * fill
                parts.append((m, abs(size) * fill))
                out["market_notional"][m] += abs(size) * fill
            debt = max(0.0, -equity)
            out["fees"] += min(FEE * notional, max(0.0, equity))
            out["notional"] += notional
            out["bad_debt"] += debt
            out["liquidated"] += 1
            for (m, part) in parts:
                out["market_debt"][m] += debt * part / notional
            closed[u] = True
        for m in range(len(markets)):
            sold[m] += round_sold[m]
            bought[m] += round_bought[m]
    out["moves"] = [mark(m) / markets[m]["price"] - 1 for m in range(len(markets))]
    return out


def swift(x):
    if isinstance(x, float):
        if math.isinf(x):
            return ".infinity" if x > 0 else "-.infinity"
        return repr(x)
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, tuple):
        return "(" + ", ".join(swift(v) for v in x) + ")"
    if isinstance(x, list):
        return "[" + ", ".join(swift(v) for v in x) + "]"
    return str(x)


def main():
    rng = np.random.default_rng(20261207)
    markets, accounts = protocol(rng)
    units = units_of(accounts)
    hypothetical = [[-0.05, 0.0, 0.0], [-0.10, -0.10, -0.10], [-0.20, -0.25, -0.30], [0.10, 0.15, 0.25],
                    [-0.30, 0.0, 0.0], [0.0, 0.0, -0.40], [0.20, -0.20, 0.0], [-0.15, -0.20, 0.35]]
    residuals = rng.standard_t(4, size=(300, 3)) / math.sqrt(2.0)
    residuals[:, 1] = 0.7 * residuals[:, 0] + 0.71 * residuals[:, 1]
    residuals[17, 2] = float("nan")
    sigmas = [mk["sigma"] for mk in markets]
    draws = splitmix(0x5EED)
    fhs = []
    for _ in range(200):
        row = residuals[next(draws) % len(residuals)]
        fhs.append([0.0 if math.isnan(z) else math.exp(z * s) - 1 for z, s in zip(row, sigmas)])
    scenarios = hypothetical + fhs
    outcomes = [cascade(units, markets, s) for s in scenarios]
    debt = np.array([o["bad_debt"] for o in outcomes])
    notional = np.array([o["notional"] for o in outcomes])
    var = float(np.quantile(debt, 0.99, method="inverted_cdf"))
    order = sorted(range(len(debt)), key=lambda i: (debt[i], i))
    rank = math.ceil(0.99 * len(debt)) - 1
    es = float(np.mean(debt[order[rank:]]))
    lar = float(np.quantile(notional, 0.99, method="inverted_cdf"))
    fund = 25_000.0

    lines = ["// Generated by `python3 -m fulcrum_tools.reference.cascade_vectors`; do not edit.", "",
             "/// A small protocol, its health and its liquidation cascades, computed independently in Python",
             "/// (tools/fulcrum_tools/reference/cascade_vectors.py).",
             "enum CascadeReferenceValues {",
             "    struct Market { let price: Double; let sigma: Double; let tiers: [(Double, Double)];",
             "        let bids: [(Double, Double)]; let asks: [(Double, Double)]; let capacity: Double }",
             "    struct Account { let id: UInt64; let isolated: Bool; let collateral: Double;",
             "        let positions: [(market: Int, size: Double, entry: Double, margin: Double)] }",
             "    struct Unit { let equity: Double; let maintenance: Double; let distance: Double }",
             "    struct Outcome { let rounds: Int; let liquidated: Int; let notional: Double; let badDebt: Double;",
             "        let fees: Double; let marketNotional: [Double]; let marketDebt: [Double]; let moves: [Double] }",
             f"    static let fee = {swift(FEE)}",
             f"    static let insuranceFund = {swift(fund)}",
             "    static let markets: [Market] = ["]
    for mk in markets:
        lines.append(f"        Market(price: {swift(mk['price'])}, sigma: {swift(mk['sigma'])}, "
                     f"tiers: {swift(mk['tiers'])}, bids: {swift(mk['bids'].levels)}, "
                     f"asks: {swift(mk['asks'].levels)}, capacity: {swift(mk['capacity'])}),")
    lines.append("    ]")
    lines.append("    static let accounts: [Account] = [")
    for a in accounts:
        positions = ", ".join(f"({m}, {swift(s)}, {swift(e)}, {swift(g)})" for (m, s, e, g) in a["positions"])
        lines.append(f"        Account(id: {a['id']}, isolated: {swift(a['isolated'])}, "
                     f"collateral: {swift(a['collateral'])}, positions: [{positions}]),")
    lines.append("    ]")
    lines.append("    /// Per margin unit, in creation order.")
    lines.append("    static let units: [Unit] = [")
    for unit in units:
        e, mm, d = health(unit, markets)
        lines.append(f"        Unit(equity: {swift(e)}, maintenance: {swift(mm)}, distance: {swift(d)}),")
    lines.append("    ]")
    lines.append("    static let residuals: [[Double]] = [")
    for row in residuals:
        lines.append("        [" + ", ".join("Double.nan" if math.isnan(z) else repr(float(z)) for z in row) + "],")
    lines.append("    ]")
    lines.append("    static let seed: UInt64 = 0x5EED")
    lines.append(f"    static let scenarios: [[Double]] = {swift([[float(v) for v in s] for s in scenarios])}")
    lines.append(f"    static let hypotheticalCount = {len(hypothetical)}")
    lines.append("    static let outcomes: [Outcome] = [")
    for o in outcomes:
        lines.append(f"        Outcome(rounds: {o['rounds']}, liquidated: {o['liquidated']}, "
                     f"notional: {swift(o['notional'])}, badDebt: {swift(o['bad_debt'])}, fees: {swift(o['fees'])}, "
                     f"marketNotional: {swift(o['market_notional'])}, marketDebt: {swift(o['market_debt'])}, "
                     f"moves: {swift(o['moves'])}),")
    lines.append("    ]")
    lines.append(f"    static let badDebtAtRisk = {swift(var)}")
    lines.append(f"    static let badDebtExpectedShortfall = {swift(es)}")
    lines.append(f"    static let liquidationsAtRisk = {swift(lar)}")
    lines.append("}")
    path = os.path.join(repository_root(), "Tests", "ProtocolHealthTests", "CascadeReferenceValues.swift")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(units)} units, {len(scenarios)} scenarios, VaR99 {var:.2f}, ES {es:.2f}, "
          f"LaR {lar:.2f}, max rounds {max(o['rounds'] for o in outcomes)}, "
          f"with debt {sum(1 for o in outcomes if o['bad_debt'] > 0)}")


if __name__ == "__main__":
    main()
