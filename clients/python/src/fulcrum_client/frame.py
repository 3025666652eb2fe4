"""pandas views of the parameters (pandas is imported only when one is asked for)."""
from __future__ import annotations

from typing import Iterable

from .types import RiskParameters

COLUMNS = [
    "status", "imf", "mmf", "max_leverage", "price", "reasons", "sigma_step", "sigma_annual", "sigma_horizon",
    "imf_target", "mmf_target", "max_leverage_target", "mmf_long", "mmf_short", "eta_steps", "eta_ns", "tier_count",
    "as_of", "as_of_ns", "grid_step", "horizon_ns", "ess", "residual_count", "staleness_ns", "stressed_sigma_step",
    "coverage_zone", "coverage_observations", "coverage_exceptions", "coverage_exception_rate",
    "coverage_target_rate", "coverage_kupiec_p_value", "publisher_epoch", "config_hash",
]


def _row(p: RiskParameters) -> dict:
    inputs, coverage = p.inputs, p.coverage
    nan = float("nan")
    return {
        "symbol": p.symbol, "status": p.status.name, "imf": p.imf, "mmf": p.mmf, "max_leverage": p.max_leverage,
        "price": p.price, "reasons": ",".join(r.name.lower() for r in p.reasons),
        "sigma_step": inputs.sigma_step if inputs else nan, "sigma_annual": inputs.sigma_annual if inputs else nan,
        "sigma_horizon": inputs.sigma_horizon if inputs else nan,
        "imf_target": p.imf_target, "mmf_target": p.mmf_target, "max_leverage_target": p.max_leverage_target,
        "mmf_long": p.mmf_long, "mmf_short": p.mmf_short, "eta_steps": p.eta_steps, "eta_ns": p.eta_ns,
        "tier_count": len(p.tiers), "as_of": p.as_of_ns, "as_of_ns": p.as_of_ns, "grid_step": p.grid_step,
        "horizon_ns": p.horizon_ns, "ess": inputs.ess if inputs else nan,
        "residual_count": inputs.residual_count if inputs else 0, "staleness_ns": inputs.staleness_ns if inputs else 0,
        "stressed_sigma_step": inputs.stressed_sigma_step if inputs else nan,
        "coverage_zone": coverage.zone.name if coverage else None,
        "coverage_observations": coverage.observations if coverage else 0,
        "coverage_exceptions": coverage.exceptions if coverage else 0,
        "coverage_exception_rate": coverage.exception_rate if coverage else nan,
        "coverage_target_rate": coverage.target_rate if coverage else nan,
        "coverage_kupiec_p_value": coverage.kupiec_p_value if coverage else nan,
        # As text: epochs and hashes are 64-bit and would lose digits as floats in an empty or mixed column.
        "publisher_epoch": str(p.publisher_epoch), "config_hash": str(p.config_hash),
    }


def parameters_frame(parameters: Iterable[RiskParameters]):
    """One row per symbol (the index, sorted), columns COLUMNS: `status` and `coverage_zone` as names (READY,
    GREEN, ...), `reasons` as comma-separated names in the protocol's one vocabulary
    (the wire name in lower case without its prefix: `step_limit`, as `fulcrum watch` and `/parameters` print them),
    `as_of` as a UTC timestamp, σ from the model inputs."""
    import pandas as pd

    rows = sorted((_row(p) for p in parameters), key=lambda row: row["symbol"])
    frame = pd.DataFrame(rows, columns=["symbol", *COLUMNS]).set_index("symbol")
    frame["as_of"] = pd.to_datetime(frame["as_of"].astype("int64"), unit="ns", utc=True)
    return frame


def tiers_frame(parameters: Iterable[RiskParameters]):
    """One row per (symbol, tier): notional_floor, notional_cap (for the last, the position limit: inf when unbounded), imf, mmf, max_leverage,
    maintenance_deduction."""
    import pandas as pd

    rows = [{"symbol": p.symbol, "tier": index, "notional_floor": t.notional_floor, "notional_cap": t.notional_cap,
             "imf": t.imf, "mmf": t.mmf, "max_leverage": t.max_leverage,
             "maintenance_deduction": t.maintenance_deduction}
            for p in sorted(parameters, key=lambda p: p.symbol) for index, t in enumerate(p.tiers)]
    columns = ["symbol", "tier", "notional_floor", "notional_cap", "imf", "mmf", "max_leverage",
               "maintenance_deduction"]
    return pd.DataFrame(rows, columns=columns).set_index(["symbol", "tier"])
