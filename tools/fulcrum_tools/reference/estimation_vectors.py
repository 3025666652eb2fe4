"""Reference vectors for the RiskEstimation module (Swift tests read them from Tests/RiskEstimationTests/Fixtures).

Everything is computed here independently of the Swift code, with numpy/pandas:
  * EWMA variance / covariance: pandas ``ewm(alpha=1-lam, adjust=True).mean()`` of r^2 and r_i*r_j (the pair over the
    returns both assets have), lam = 2^(-grid/halfLife);
  * effective sample size (sum w)^2 / sum w^2 in closed form; windowed variance with ``math.fsum`` over the last
    min(n, W) squared returns;
  * the published correlation: the zero-filled common-grid Gram matrix S_ij / sqrt(S_ii S_jj), with
    S = EWMA mean x total weight, an asset admitted once its weight is >= (1 - admission) x the largest weight;
  * Ledoit-Wolf intensities on the correlation scale with the ESS-based variance term;
  * the long-horizon ("stressed") EWMA variance and its ESS as exact weighted sums, checked against pandas;
  * for the tick fixture, late-tick detection in arrival order and previous-tick grid sampling with
    ``pandas.merge_asof(allow_exact_matches=False)``.

Deterministic (fixed seeds) and re-runnable inside the checkout:
``python3 -m fulcrum_tools.reference.estimation_vectors``.
"""
import json
import math

import numpy as np
import pandas as pd

from fulcrum_tools.paths import repository_root

OUT = ("Tests", "RiskEstimationTests", "Fixtures")
SECOND = 1_000_000_000


def log_returns(current, previous):
    """ln(current/previous), as log1p((current-previous)/previous) for 1/2 < ratio < 2 (exact difference)."""
    ratio = current / previous
    near = (ratio > 0.5) & (ratio < 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(near, np.log1p((current - previous) / previous), np.log(ratio))


def ewm_mean(values, lam):
    return pd.Series(values).ewm(alpha=1.0 - lam, adjust=True).mean().to_numpy()


def total_weight(n, lam):
    return (1.0 - lam ** n) / (1.0 - lam)


def ess(n, lam):
    w = total_weight(n, lam)
    q = (1.0 - lam ** (2 * n)) / (1.0 - lam * lam)
    return w * w / q


def clean(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def expected_statistics(prices, lam, window, admission):
    """prices: (assets, steps) float array, NaN before an asset's first sampled price; column k is the price at
    the k-th closed boundary. Returns per-step expectations (lists indexed [step][asset or pair])."""
    assets, steps = prices.shape
    first = [int(np.argmax(~np.isnan(prices[a]))) if (~np.isnan(prices[a])).any() else steps for a in range(assets)]
    returns = np.full((assets, steps), np.nan)
    for a in range(assets):
        f = first[a]
        if f + 1 < steps:
            returns[a, f + 1:] = log_returns(prices[a, f + 1:], prices[a, f:-1])
    count = np.zeros((assets, steps), dtype=np.int64)
    variance = np.full((assets, steps), np.nan)
    window_variance = np.full((assets, steps), np.nan)
    for a in range(assets):
        s = first[a] + 1
        if s >= steps:
            continue
        r = returns[a, s:]
        variance[a, s:] = ewm_mean(r * r, lam)
        count[a, s:] = np.arange(1, steps - s + 1)
        squares = r * r
        for k in range(len(r)):
            lo = max(0, k + 1 - window)
            window_variance[a, s + k] = math.fsum(squares[lo:k + 1]) / (k + 1 - lo)
    pairs = [(i, j) for i in range(assets) for j in range(i)]
    covariance = {}
    fourth = {}
    for (i, j) in pairs:
        s = max(first[i], first[j]) + 1
        cov = np.full(steps, np.nan)
        m4 = np.full(steps, np.nan)
        if s < steps:
            product = returns[i, s:] * returns[j, s:]
            cov[s:] = ewm_mean(product, lam)
            m4[s:] = ewm_mean(product * product, lam)
        covariance[(i, j)] = cov
        fourth[(i, j)] = m4

    out = {key: [] for key in ("returnCount", "ewmaVariance", "windowVariance", "ess", "standardized",
                               "covariance", "correlation", "pairESS", "admitted", "lwIdentity",
                               "lwConstant", "meanCorrelation")}
    for k in range(steps):
        n = count[:, k]
        own = np.where(n > 0, variance[:, k] * total_weight(n, lam), np.nan)
        weights = np.where(n > 0, total_weight(n, lam), 0.0)
        largest = weights.max()
        admitted = [bool(n[a] > 0 and own[a] > 0 and weights[a] >= (1.0 - admission) * largest)
                    for a in range(assets)]
        z = []
        for a in range(assets):
            if n[a] >= 2 and variance[a, k - 1] > 0:
                z.append(clean(returns[a, k] / math.sqrt(variance[a, k - 1])))
            else:
                z.append(None)
        cov_row, corr_row, pess_row = [], [], []
        rhos, pis = [], []
        for (i, j) in pairs:
            common = min(n[i], n[j])
            if common > 0:
                cov_row.append(clean(covariance[(i, j)][k]))
                pess_row.append(float(ess(common, lam)))
            else:
                cov_row.append(None)
                pess_row.append(0.0)
            if admitted[i] and admitted[j]:
                gram = covariance[(i, j)][k] * total_weight(common, lam)
                rho = min(max(gram / math.sqrt(own[i] * own[j]), -1.0), 1.0)
                spread = max(fourth[(i, j)][k] - covariance[(i, j)][k] ** 2, 0.0)
                pis.append(spread / (variance[i, k] * variance[j, k] * ess(common, lam)))
                rhos.append(rho)
                corr_row.append(rho)
            else:
                corr_row.append(0.0)
        pi = math.fsum(pis)
        rho_bar = math.fsum(rhos) / len(rhos) if rhos else 0.0

        def intensity(distance):
            if distance > 0:
                return min(max(pi / distance, 0.0), 1.0)
            return 1.0 if pi > 0 else 0.0

        out["returnCount"].append([int(x) for x in n])
        out["ewmaVariance"].append([clean(variance[a, k]) if n[a] > 0 else None for a in range(assets)])
        out["windowVariance"].append([clean(window_variance[a, k]) if n[a] > 0 else None for a in range(assets)])
        out["ess"].append([float(ess(n[a], lam)) if n[a] > 0 else 0.0 for a in range(assets)])
        out["standardized"].append(z)
        out["covariance"].append(cov_row)
        out["correlation"].append(corr_row)
        out["pairESS"].append(pess_row)
        out["admitted"].append(admitted)
        out["lwIdentity"].append(intensity(math.fsum(r * r for r in rhos)))
        out["lwConstant"].append(intensity(math.fsum((r - rho_bar) ** 2 for r in rhos)))
        out["meanCorrelation"].append(rho_bar)
    return out


def series_case(name, prices, half_life_steps, window, admission=0.05):
    lam = 2.0 ** (-SECOND / (half_life_steps * SECOND))
    matrix = np.array(prices, dtype=float)
    expected = expected_statistics(matrix, lam, window, admission)
    starts = [int(np.argmax(~np.isnan(row))) for row in matrix]
    return {
        "name": name,
        "gridInterval": SECOND,
        "halfLife": half_life_steps * SECOND,
        "window": window,
        "admission": admission,
        "lambda": lam,
        "starts": starts,
        "prices": [[float(p).hex() for p in row[s:]] for row, s in zip(matrix, starts)],
        "expected": expected,
    }


def random_case():
    rng = np.random.default_rng(11)
    steps, assets = 400, 4
    factor = rng.standard_t(4, size=steps) * 0.01
    idio = rng.standard_t(5, size=(assets, steps)) * 0.008
    loadings = np.array([1.0, 0.7, -0.5, 1.2])
    rets = loadings[:, None] * factor[None, :] + idio
    prices = 100.0 * np.exp(np.cumsum(rets, axis=1))
    prices[2, :120] = np.nan
    prices[3, :250] = np.nan
    return series_case("random_late_joiners", prices, 20, 50)


def constant_case():
    prices = np.array([[100.0] * 60, [37.5] * 60])
    prices[1, :10] = np.nan
    return series_case("constant_prices", prices, 10, 20)


def jump_case():
    rng = np.random.default_rng(12)
    steps = 300
    rets = rng.normal(0.0, 1e-3, size=(2, steps))
    prices = 50.0 * np.exp(np.cumsum(rets, axis=1))
    prices[0, 100:] *= 1e6
    prices[0, 160:] *= 1e-6
    return series_case("single_huge_jump", prices, 25, 40)


def alternating_case():
    steps = 200
    a = np.array([100.0 if k % 2 == 0 else 101.0 for k in range(steps)])
    b = np.array([250.0 if k % 2 == 1 else 240.0 for k in range(steps)])
    c = np.array([10.0 if k % 4 < 2 else 10.5 for k in range(steps)])
    return series_case("alternating_signs", np.vstack([a, b, c]), 8, 16)


def tiny_case():
    rng = np.random.default_rng(13)
    steps = 250
    prices = np.empty((2, steps))
    p = np.array([100.0, 0.0123])
    for k in range(steps):
        signs = rng.choice([-1.0, 1.0], size=2)
        common = rng.choice([-1.0, 1.0])
        p = p * (1.0 + 1e-12 * (0.8 * common + 0.6 * signs))
        prices[:, k] = p
    return series_case("tiny_moves_1e-12", prices, 15, 30)


# ---------------------------------------------------------------- long series (closed form on both sides)

def long_price_a(k):
    m = (k * 7919) % 2003 - 1001
    p = 100.0 * (1.0 + m * 1e-4)
    if (k // 250000) % 2 == 1:
        p = p * 1000.0
    return p


def long_price_b(k):
    m = (k * 104729 + 17) % 1999 - 999
    p = 50.0 * (1.0 + m * 2e-4)
    if k % 100000 == 50000:
        p = p * 1e-6
    return p


def long_case():
    steps, half_life, window = 1_000_000, 50, 500
    lam = 2.0 ** (-SECOND / (half_life * SECOND))
    a = np.array([long_price_a(k) for k in range(steps)])
    b = np.array([long_price_b(k) for k in range(steps)])
    ra = log_returns(a[1:], a[:-1])
    rb = log_returns(b[1:], b[:-1])
    va = ewm_mean(ra * ra, lam)
    vb = ewm_mean(rb * rb, lam)
    cab = ewm_mean(ra * rb, lam)
    checkpoints = [1, 2, 3, 1000] + list(range(99_999, steps, 100_000))
    rows = []
    for k in checkpoints:
        n = k  # returns at steps 1..k
        lo = max(0, n - window)
        rows.append({
            "step": k,
            "ewmaVariance": [float(va[n - 1]), float(vb[n - 1])],
            "covariance": float(cab[n - 1]),
            "windowVariance": [math.fsum(ra[lo:n] ** 2) / (n - lo), math.fsum(rb[lo:n] ** 2) / (n - lo)],
            "ess": float(ess(n, lam)),
            "lastReturn": [float(ra[n - 1]), float(rb[n - 1])],
        })
    return {"gridInterval": SECOND, "halfLife": half_life * SECOND, "window": window, "lambda": lam,
            "steps": steps, "checkpoints": rows}


# ---------------------------------------------------------------- stressed (long half-life) EWMA

def stressed_price(asset, k, stress):
    """Closed-form prices (the Swift test computes the same doubles): asset 0 has a stress episode where its
    moves are `stress[2]` times larger."""
    if asset == 0:
        m = (k * 7919) % 2003 - 1001
        scale = stress[2] if stress[0] <= k < stress[1] else 1.0
        return 100.0 * (1.0 + m * 1e-5 * scale)
    m = (k * 104729 + 17) % 1999 - 999
    return 50.0 * (1.0 + m * 3e-5)


def stressed_case(name, half_life, stressed_half_life, starts, gap, steps, stress, max_catch_up, spacing):
    """Stressed EWMA sigma^2_s = sum lam_s^(k-j) r_j^2 / sum lam_s^(k-j) over each asset's returns, with a silent gap
    [gap[0], gap[1]) (no ticks: the price stays, returns are 0; the estimator fast-forwards most of it).
    Expected values are exact weighted sums (weights exp(m ln lam_s), math.fsum), checked here against pandas
    ewm(alpha = -expm1(ln lam_s), adjust=True) of r^2; alpha is formed with expm1 because 1 - lam_s would lose
    ~6 digits next to 1."""
    log_lam_s = -(1.0 / stressed_half_life) * math.log(2.0)
    alpha_s = -math.expm1(log_lam_s)
    lam = 2.0 ** (-1.0 / half_life)
    g0, g1 = gap
    returns = []
    for asset in range(2):
        prices = np.full(steps, np.nan)
        for k in range(starts[asset], steps):
            source = g0 - 1 if g0 <= k < g1 else k
            prices[k] = stressed_price(asset, source, stress)
        r = np.full(steps, np.nan)
        s = starts[asset] + 1
        r[s:] = log_returns(prices[s:], prices[s - 1:-1])
        returns.append(r)
    # Steps the test visits: all but the fast-forwarded ones (g0 .. g1-2-C); g1-1-C reports the fast-forward.
    skipped = range(g0, g1 - 1 - max_catch_up)
    points = set(range(1, 46)) | set(range(starts[1] + 1, starts[1] + 46)) | set(range(spacing, steps, spacing))
    points |= {g0 - 1, g1 - 1 - max_catch_up, g1 - max_catch_up, g1 - 1, g1, g1 + 1, steps - 1}
    points = sorted(k for k in points if k not in skipped and 0 <= k < steps)
    stressed_pandas, regular = [], []
    for r in returns:
        s = int(np.argmax(~np.isnan(r)))
        full_s = np.full(steps, np.nan)
        full_r = np.full(steps, np.nan)
        full_s[s:] = pd.Series(r[s:] ** 2).ewm(alpha=alpha_s, adjust=True).mean().to_numpy()
        full_r[s:] = ewm_mean(r[s:] ** 2, lam)
        stressed_pandas.append(full_s)
        regular.append(full_r)
    rows, worst = [], 0.0
    for k in points:
        row = {"step": k, "returnCount": [], "stressedVariance": [], "stressedESS": [], "ewmaVariance": []}
        for asset in range(2):
            r = returns[asset]
            s = starts[asset] + 1
            if k < s:
                row["returnCount"].append(0)
                row["stressedVariance"].append(None)
                row["stressedESS"].append(0.0)
                row["ewmaVariance"].append(None)
                continue
            ages = (k - np.arange(s, k + 1)).astype(float)
            weights = np.exp(log_lam_s * ages)
            squares = r[s:k + 1] ** 2
            nonzero = squares != 0
            total = math.fsum(weights[nonzero] * squares[nonzero])
            weight = math.fsum(weights)
            variance = total / weight
            ess_s = weight * weight / math.fsum(weights * weights)
            worst = max(worst, abs(stressed_pandas[asset][k] - variance) / variance)
            row["returnCount"].append(k - s + 1)
            row["stressedVariance"].append(variance)
            row["stressedESS"].append(ess_s)
            row["ewmaVariance"].append(clean(regular[asset][k]))
        rows.append(row)
    assert worst < 1e-9, f"{name}: pandas and the exact sums differ by {worst}"
    print(f"{name}: pandas vs exact stressed variance, worst relative difference {worst:.2e}")
    return {"name": name, "gridInterval": SECOND, "halfLife": half_life * SECOND,
            "stressedHalfLife": stressed_half_life * SECOND, "warmupESS": 30.0, "maxCatchUpSteps": max_catch_up,
            "starts": starts, "gap": list(gap), "steps": steps, "stress": list(stress), "checkpoints": rows}


# ---------------------------------------------------------------- irregular ticks

def tick_case(name, seed, lateness):
    rng = np.random.default_rng(seed)
    origin_time = 1_700_000_000 * SECOND
    first_tick = origin_time + 370_000_000
    duration = 480 * SECOND
    rates = [4.0, 1.5, 0.7, 2.5]
    starts = [0, 0, 0, 150 * SECOND]
    vol = 1e-3  # per sqrt(second)
    step_ms = 1_000_000  # latent path on a 1 ms grid
    n_ms = duration // step_ms + 1
    factor = np.cumsum(rng.normal(0, vol * math.sqrt(1e-3), size=n_ms))
    latent = []
    for loading in (1.0, 0.6, -0.4, 0.8):
        idio = np.cumsum(rng.normal(0, vol * math.sqrt(1e-3), size=n_ms))
        latent.append(loading * factor + idio)
    ticks = []  # (asset, timestamp, price)
    for asset, rate in enumerate(rates):
        count = int(rate * duration / SECOND)
        times = np.sort(rng.integers(first_tick + starts[asset] + 1, first_tick + duration, size=count))
        times = np.unique(times)
        offset = (times - first_tick) / SECOND
        keep = ~((offset >= 400) & (offset < 430))  # everyone silent for 30 s
        if asset == 1:
            keep &= ~((offset >= 200) & (offset < 290))  # a 90 s gap in one asset
        for t in times[keep]:
            index = int((t - first_tick) // step_ms)
            ticks.append((asset, int(t), float(100.0 * (asset + 1) * math.exp(latent[asset][index]))))
    boundary_ticks = rng.choice(np.arange(5, 395), size=20, replace=False)
    existing = {(a, t) for a, t, _ in ticks}
    for k in boundary_ticks:
        t = int(origin_time + k * SECOND)
        if (0, t) not in existing:
            ticks.append((0, t, float(100.0 * math.exp(latent[0][int((t - first_tick) // step_ms)]))))
    frame = pd.DataFrame(ticks, columns=["asset", "timestamp", "price"])
    delay = rng.integers(0, 50_000_000, size=len(frame))
    slow = rng.random(len(frame)) < 0.04
    delay[slow] = rng.integers(SECOND // 2, 4 * SECOND, size=int(slow.sum()))
    frame["arrival"] = frame["timestamp"] + delay
    extra = pd.DataFrame([
        {"asset": 0, "timestamp": first_tick, "price": 100.0, "arrival": first_tick - 1},
        {"asset": 2, "timestamp": origin_time - SECOND // 2, "price": 300.0, "arrival": first_tick + 3 * SECOND},
        {"asset": 1, "timestamp": first_tick + 5 * SECOND, "price": 0.0, "arrival": first_tick + 5 * SECOND},
        {"asset": 3, "timestamp": first_tick + 300 * SECOND, "price": -4.0, "arrival": first_tick + 300 * SECOND},
    ])
    frame = pd.concat([extra, frame], ignore_index=True)
    frame = frame.sort_values("arrival", kind="stable").reset_index(drop=True)

    valid = frame["price"] > 0
    origin = (int(frame.loc[valid, "timestamp"].iloc[0]) // SECOND) * SECOND
    # Integer arithmetic throughout: nanosecond timestamps do not fit a float64 exactly.
    stamps = frame["timestamp"].to_numpy(dtype=np.int64)
    running_max = np.maximum.accumulate(np.where(valid.to_numpy(), stamps, np.iinfo(np.int64).min))
    closed = origin + np.maximum((running_max - lateness - origin) // SECOND, 0) * SECOND
    late = valid & pd.Series(stamps < closed)
    frame["late"] = late
    last_closed = int(closed[-1])
    boundaries = np.arange(origin + SECOND, last_closed + 1, SECOND, dtype=np.int64)

    kept = frame[valid & ~late]
    assets = len(rates)
    prices = np.full((assets, len(boundaries)), np.nan)
    sampled_time = np.full((assets, len(boundaries)), -1, dtype=np.int64)
    left = pd.DataFrame({"boundary": boundaries})
    for asset in range(assets):
        right = kept[kept["asset"] == asset].sort_values("timestamp", kind="stable").reset_index(drop=True)
        times = right["timestamp"].to_numpy(dtype=np.int64)
        right = pd.DataFrame({"tick_time": times, "price": right["price"], "row": np.arange(len(right))})
        merged = pd.merge_asof(left, right, left_on="boundary", right_on="tick_time",
                               allow_exact_matches=False, direction="backward")
        prices[asset] = merged["price"].to_numpy()
        rows = merged["row"].to_numpy()
        sampled_time[asset] = [times[int(r)] if not math.isnan(r) else -1 for r in rows]
    half_life_steps, window, admission = 30, 60, 0.05
    lam = 2.0 ** (-SECOND / (half_life_steps * SECOND))
    expected = expected_statistics(prices, lam, window, admission)
    stale_steps, stale_ns = [], []
    for j, b in enumerate(boundaries):
        row_steps, row_ns = [], []
        for asset in range(assets):
            tau = sampled_time[asset, j]
            if tau < 0:
                row_steps.append(None)
                row_ns.append(None)
            else:
                tick_step = (tau - origin) // SECOND  # index of the boundary closing the tick's interval
                row_steps.append(int(j - tick_step))
                row_ns.append(int(b - tau))
        stale_steps.append(row_steps)
        stale_ns.append(row_ns)
    expected["stalenessSteps"] = stale_steps
    expected["stalenessNanoseconds"] = stale_ns
    expected["sampledPrice"] = [[None if math.isnan(prices[a, j]) else float(prices[a, j]).hex()
                                 for a in range(assets)] for j in range(len(boundaries))]
    return {
        "name": name,
        "gridInterval": SECOND,
        "lateness": lateness,
        "halfLife": half_life_steps * SECOND,
        "window": window,
        "admission": admission,
        "lambda": lam,
        "assets": assets,
        "ticks": [{"asset": int(r.asset), "timestamp": int(r.timestamp), "price": float(r.price).hex(),
                   "late": bool(r.late), "valid": bool(r.price > 0)} for r in frame.itertuples()],
        "origin": origin,
        "boundaries": [int(b) for b in boundaries],
        "lateTicks": int(late.sum()),
        "expected": expected,
    }


def write(name, payload):
    root = repository_root()
    folder = root.joinpath(*OUT)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(payload, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{path.relative_to(root)}: {path.stat().st_size / 1e6:.2f} MB")


def main():
    write("return_series.json", {"cases": [random_case(), constant_case(), jump_case(), alternating_case(),
                                           tiny_case()]})
    write("long_series.json", long_case())
    write("stressed_series.json", {"cases": [
        stressed_case("short_half_lives", 20, 300, [0, 400], (3000, 8000), 9000, (1000, 1500, 8.0), 50, 97),
        stressed_case("default_30_days", 60, 2_592_000, [0, 5000], (20_000, 1_020_000), 1_025_000,
                      (8000, 12000, 8.0), 100, 2500),
    ]})
    write("tick_grid.json", {"cases": [tick_case("irregular_no_lateness", 21, 0),
                                       tick_case("irregular_lateness_300ms", 22, 300_000_000)]})


if __name__ == "__main__":
    main()
