"""Reference vectors for the RiskEstimation factor model (Swift tests read them from
Tests/RiskEstimationTests/Fixtures).

Computed here independently of the Swift code, with numpy only:
  * ``factor_incremental.json``: the incremental low-rank EWMA covariance (Brand's rank-one update of a truncated
    eigendecomposition) implemented step by step with ``numpy.linalg.eigh`` for the small matrix and
    ``numpy.linalg.qr`` (Householder) for the periodic re-orthonormalization, on N = 12 assets, k = 3, 300 steps
    with missing returns, a late-joining asset, an all-absent step and an all-zero step. Written at checkpoints:
    the factor part U Lambda U^T / W, the idiosyncratic variances D and the own variances sigma^2 (eigenvector
    signs and order do not enter them);
  * ``factor_accuracy.json``: N = 60 assets driven by 3 factors plus idiosyncratic noise, 2,000 steps; the full
    bias-corrected EWMA covariance and correlation by plain numpy, and for k = 1, 3, 5 the max and RMS absolute
    off-diagonal correlation error of (i) this incremental model and (ii) the batch rank-k truncation of the full
    matrix's eigendecomposition with the exact diagonal (the best any rank-k-plus-diagonal model in that form
    can do), which bounds what the incremental model may lose.

Returns are stored as integers in units of 1e-8 so that both sides start from bit-identical doubles
(int * 1e-8, one correctly rounded product). Deterministic (fixed seeds) and re-runnable inside the checkout:
``python3 -m fulcrum_tools.reference.factor_vectors``.
"""
import json
import math

import numpy as np

from fulcrum_tools.paths import repository_root

OUT = ("Tests", "RiskEstimationTests", "Fixtures")
UNIT = 1e-8
RESIDUAL_THRESHOLD = 1e-8
TINY = np.finfo(float).tiny  # smallest positive normal double


class IncrementalFactorModel:
    """C_t = lam C_{t-1} + (1 - lam) r r^T tracked as U diag(Lam) U^T (top k), plus own EWMA variances."""

    def __init__(self, assets, k, lam, period, floor):
        self.k, self.lam, self.c, self.period, self.floor = k, lam, 1.0 - lam, period, floor
        self.U = np.zeros((assets, k))
        self.Lam = np.zeros(k)
        self.rank = 0
        self.W = 0.0
        self.own_sum = np.zeros(assets)
        self.own_weight = np.zeros(assets)
        self.count = np.zeros(assets, dtype=np.int64)
        self.since = 0

    def _keep(self, mu, G, basis):
        m = len(mu)
        order = np.argsort(-mu, kind="stable")
        kept = []
        for i in order[:min(self.k, m)]:
            if mu[i] < TINY:
                break
            kept.append(i)
        self.U[:] = 0.0
        self.Lam[:] = 0.0
        if kept:
            self.U[:, :len(kept)] = basis @ G[:, kept]
            self.Lam[:len(kept)] = mu[kept]
        self.rank = len(kept)

    def update(self, returns, present):
        lam, c = self.lam, self.c
        r = np.where(present, returns, 0.0)
        self.own_sum[present] = lam * self.own_sum[present] + c * r[present] ** 2
        self.own_weight[present] = lam * self.own_weight[present] + c
        self.count[present] += 1
        self.W = lam * self.W + c
        norm2 = float(r @ r)
        if norm2 > 0:
            Ua = self.U[:, :self.rank]
            p = Ua.T @ r
            e = r - Ua @ p
            p2 = Ua.T @ e
            e = e - Ua @ p2
            p = p + p2
            rho = float(np.linalg.norm(e))
            if rho <= RESIDUAL_THRESHOLD * math.sqrt(norm2):
                rho = 0.0
            if rho > 0:
                v = np.append(p, rho)
                basis = np.column_stack([Ua, e / rho])
                diagonal = np.append(self.Lam[:self.rank], 0.0)
            else:
                v, basis, diagonal = p, Ua, self.Lam[:self.rank]
            K = lam * np.diag(diagonal) + c * np.outer(v, v)
            mu, G = np.linalg.eigh(K)
            self._keep(mu, G, basis.copy())
        else:
            self.Lam[:self.rank] *= lam
            alive = int(np.sum(self.Lam[:self.rank] >= TINY))
            self.U[:, alive:] = 0.0
            self.Lam[alive:] = 0.0
            self.rank = alive
        self.since += 1
        if self.since >= self.period:
            self.orthonormalize()

    def orthonormalize(self):
        self.since = 0
        if self.rank == 0:
            return
        Q, R = np.linalg.qr(self.U[:, :self.rank])
        B = R @ np.diag(self.Lam[:self.rank]) @ R.T
        mu, G = np.linalg.eigh(B)
        self._keep(mu, G, Q)

    def variance(self):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, self.own_sum / self.own_weight, 0.0)

    def factor_covariance(self):
        if self.W == 0:
            return np.zeros((len(self.count),) * 2)
        return (self.U * self.Lam) @ self.U.T / self.W

    def idiosyncratic(self):
        s2 = self.variance()
        common = np.diag(self.factor_covariance())
        return np.maximum(s2 - common, self.floor * s2)

    def correlation(self):
        s = np.sqrt(self.variance())
        scale = np.outer(s, s)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.where(scale > 0, self.factor_covariance() / scale, 0.0)
        corr = np.clip(corr, -1.0, 1.0)
        np.fill_diagonal(corr, 1.0)
        return corr


def factor_returns(rng, steps, assets, factors, idio_share):
    """Returns with a known factor structure: r = B f + eps, as integers in units of UNIT."""
    loadings = rng.normal(0.0, 1.0, size=(assets, factors))
    loadings[:, 0] = rng.uniform(0.6, 1.4, size=assets)  # a market factor everyone loads on
    factor_vol = 1e-3 * np.array([1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15][:factors])
    common = rng.normal(size=(steps, factors)) * factor_vol @ loadings.T
    common_var = (loadings ** 2) @ factor_vol ** 2
    idio_vol = np.sqrt(common_var * idio_share / (1 - idio_share)) * rng.uniform(0.7, 1.3, size=assets)
    values = common + rng.normal(size=(steps, assets)) * idio_vol
    return np.rint(values / UNIT).astype(np.int64)


def off_diagonal_errors(approx, full):
    mask = ~np.eye(full.shape[0], dtype=bool)
    diff = np.abs(approx - full)[mask]
    return float(diff.max()), float(np.sqrt(np.mean(diff ** 2)))


def incremental_case():
    rng = np.random.default_rng(20261207)
    assets, k, steps, period, floor = 12, 3, 300, 50, 1e-4
    lam = 2.0 ** (-1.0 / 20.0)
    ints = factor_returns(rng, steps, assets, 3, 0.3)
    present = rng.uniform(size=(steps, assets)) >= 0.1
    present[:100, 11] = False          # asset 11 joins at step 100
    present[120, :] = False            # a step with no return at all
    ints[121, :] = 0                   # a step where every return is 0
    present[121, :] = True
    model = IncrementalFactorModel(assets, k, lam, period, floor)
    checkpoints = {1, 2, 3, 4, 50, 51, 100, 120, 121, 122, 200, 299, 300}
    snapshots = []
    for t in range(steps):
        model.update(ints[t] * UNIT, present[t])
        if t + 1 in checkpoints:
            snapshots.append({
                "step": t + 1,
                "rank": model.rank,
                "factorCovariance": model.factor_covariance().tolist(),
                "idiosyncratic": model.idiosyncratic().tolist(),
                "variance": model.variance().tolist(),
                "correlation": model.correlation().tolist(),
            })
    return {
        "assets": assets, "factors": k, "decay": lam, "period": period, "floor": floor, "unit": UNIT,
        "returns": ints.tolist(), "present": present.tolist(), "checkpoints": snapshots,
    }


def accuracy_case():
    rng = np.random.default_rng(60_3_2000)
    assets, steps, true_factors, half_life = 60, 2000, 3, 100.0
    lam = 2.0 ** (-1.0 / half_life)
    ints = factor_returns(rng, steps, assets, true_factors, 0.4)
    r = ints * UNIT
    weights = (1.0 - lam) * lam ** np.arange(steps - 1, -1, -1)
    full = (r.T * weights) @ r / weights.sum()
    s = np.sqrt(np.diag(full))
    full_corr = full / np.outer(s, s)
    np.fill_diagonal(full_corr, 1.0)
    mu, V = np.linalg.eigh(full)
    order = np.argsort(-mu)
    results = []
    for k in (1, 3, 5):
        model = IncrementalFactorModel(assets, k, lam, 1000, 1e-4)
        present = np.ones(assets, dtype=bool)
        for t in range(steps):
            model.update(r[t], present)
        top = order[:k]
        batch = (V[:, top] * mu[top]) @ V[:, top].T
        batch_corr = np.clip(batch / np.outer(s, s), -1, 1)
        inc_max, inc_rms = off_diagonal_errors(model.correlation(), full_corr)
        batch_max, batch_rms = off_diagonal_errors(batch_corr, full_corr)
        results.append({"factors": k, "incrementalMax": inc_max, "incrementalRMS": inc_rms,
                        "batchMax": batch_max, "batchRMS": batch_rms})
        print(f"k={k}: incremental max {inc_max:.4f} rms {inc_rms:.4f}; batch max {batch_max:.4f} "
              f"rms {batch_rms:.4f}")
    ess = (1 - lam ** steps) ** 2 / (1 - lam) ** 2 * (1 - lam ** 2) / (1 - lam ** (2 * steps))
    return {
        "assets": assets, "trueFactors": true_factors, "decay": lam, "unit": UNIT, "effectiveSampleSize": ess,
        "returns": ints.tolist(), "variance": np.diag(full).tolist(), "correlation": full_corr.tolist(),
        "errors": results,
    }


def write(name, payload):
    root = repository_root()
    folder = root.joinpath(*OUT)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(payload, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{path.relative_to(root)}: {path.stat().st_size / 1e6:.2f} MB")


def main():
    write("factor_incremental.json", incremental_case())
    write("factor_accuracy.json", accuracy_case())


if __name__ == "__main__":
    main()
