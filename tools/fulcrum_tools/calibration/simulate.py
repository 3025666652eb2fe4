"""Simulated crypto price series with the features that make margin calibration hard.

Each series is a GJR-GARCH(1,1) of bar log returns (volatility clustering, and the leverage effect: falls raise
volatility more than rises) driven by Hansen's skewed Student-t innovations (arch.univariate.SkewStudent: tail
index nu of about 3-5, skew lambda), multiplied by a two-state Markov regime (calm / stressed, persistence of
days) and a 24-hour intraday volatility profile, on intraday bars (default 15 minutes). Seeded: the same seed
gives the same file.

Usage: python3 -m fulcrum_tools.calibration.simulate OUT.csv [--symbol S] [--bars N] [--minutes M] [--seed K]
         [--nu NU] [--skew L]
Writes timestamp,symbol,price rows (epoch seconds, one price per bar, stamped in the middle of its bar).
"""
import argparse
import math
import sys
from dataclasses import dataclass

import numpy as np
from arch.univariate import SkewStudent


@dataclass
class CryptoSpec:
    symbol: str
    bars: int = 35_040                # one year of 15-minute bars
    minutes: int = 15
    seed: int = 1
    nu: float = 4.0                   # Student-t tail index
    skew: float = -0.1                # Hansen's lambda: negative = fatter left tail
    daily_vol: float = 0.035          # unconditional daily volatility in the calm regime
    alpha: float = 0.05
    gamma: float = 0.04               # GJR leverage term
    beta: float = 0.90
    stressed_multiplier: float = 2.2  # volatility multiple in the stressed regime
    enter_stress_days: float = 40.0   # mean days between stress episodes
    stress_days: float = 4.0          # mean length of a stress episode
    start: int = 1_672_531_200        # 2023-01-01T00:00:00Z


def simulate(spec: CryptoSpec) -> np.ndarray:
    """Bar closes, starting at 100."""
    rng = np.random.default_rng(spec.seed)
    bars_per_day = 24 * 60 / spec.minutes
    variance = (spec.daily_vol ** 2) / bars_per_day
    persistence = spec.alpha + spec.gamma / 2 + spec.beta
    omega = variance * (1 - persistence)
    innovations = SkewStudent(seed=rng).simulate([spec.nu, spec.skew])(spec.bars)
    p_enter = 1 / (spec.enter_stress_days * bars_per_day)
    p_leave = 1 / (spec.stress_days * bars_per_day)
    hours = (np.arange(spec.bars) * spec.minutes / 60.0) % 24
    # More activity in the US and European sessions, a lull in the Asian night: +-25 % around 1.
    profile = 1 + 0.25 * np.sin(2 * math.pi * (hours - 8) / 24)
    regime = 0
    h = variance
    returns = np.empty(spec.bars)
    previous = 0.0
    uniforms = rng.random(spec.bars)
    for t in range(spec.bars):
        if regime == 0 and uniforms[t] < p_enter:
            regime = 1
        elif regime == 1 and uniforms[t] < p_leave:
            regime = 0
        h = omega + (spec.alpha + spec.gamma * (previous < 0)) * previous ** 2 + spec.beta * h
        base = math.sqrt(h) * innovations[t]
        previous = base
        scale = profile[t] * (spec.stressed_multiplier if regime else 1.0)
        returns[t] = base * scale
    return 100 * np.exp(np.cumsum(returns))


def write(spec: CryptoSpec, path: str) -> None:
    prices = simulate(spec)
    step = spec.minutes * 60
    with open(path, "w") as handle:
        handle.write("timestamp,symbol,price\n")
        for index, price in enumerate(prices):
            handle.write(f"{spec.start + index * step + step // 2},{spec.symbol},{price:.10g}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--symbol", default="CRYPTO")
    parser.add_argument("--bars", type=int, default=35_040)
    parser.add_argument("--minutes", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nu", type=float, default=4.0)
    parser.add_argument("--skew", type=float, default=-0.1)
    args = parser.parse_args()
    write(CryptoSpec(symbol=args.symbol, bars=args.bars, minutes=args.minutes, seed=args.seed, nu=args.nu,
                     skew=args.skew), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
