"""The calibration series have the features they are meant to test the margins against."""
import numpy as np

from fulcrum_tools.calibration.simulate import CryptoSpec, simulate
from fulcrum_tools.calibration.run import rows_of


def returns(spec):
    return np.diff(np.log(simulate(spec)))


def test_seeded_and_deterministic():
    spec = CryptoSpec(symbol="X", bars=3_000, seed=5)
    assert np.array_equal(simulate(spec), simulate(CryptoSpec(symbol="X", bars=3_000, seed=5)))
    assert not np.array_equal(simulate(spec), simulate(CryptoSpec(symbol="X", bars=3_000, seed=6)))


def test_fat_tails_clustering_and_skew():
    r = returns(CryptoSpec(symbol="X", bars=20_000, seed=3, nu=4.0, skew=-0.3))
    z = (r - r.mean()) / r.std()
    assert np.mean(z ** 4) > 6, "fatter than normal (kurtosis 3)"
    squared = r ** 2 - np.mean(r ** 2)
    autocorrelation = np.sum(squared[1:] * squared[:-1]) / np.sum(squared ** 2)
    assert autocorrelation > 0.05, "volatility clusters"
    assert np.mean(z ** 3) < 0, "a negative skew parameter gives a fatter left tail"
    # 15-minute bars at about 3.5 % a day in calm markets, more with stress regimes.
    daily = r.std() * np.sqrt(96)
    assert 0.03 < daily < 0.08


def test_rows_read_both_margins_of_each_side():
    summary = {"observations": 100, "exceptions": 1, "exceptionRate": 0.01, "targetRate": 0.01,
               "kupiecBand": [0, 3], "kupiec": {"pValue": 1.0}, "independence": {"pValue": 0.9},
               "conditionalCoverage": {"pValue": 0.95}, "calibrated": True, "verdict": "consistent"}
    asset = {"symbol": "A", "bindingSide": "short", "longSide": summary, "shortSide": summary, "long": summary,
             "short": summary, "margin": {"meanMaintenance": 0.02}, "status": {"notReadyShare": 0.0},
             "efficiency": {key: {"ratio": 1.0} for key in ("published", "longSide", "shortSide")}}
    rows, efficiency, procyclicality = rows_of({"assets": [asset]}, None, "1d")
    assert [(r["side"], r["margin"]) for r in rows] == [
        ("long", "model"), ("short", "model"), ("long", "published"), ("short", "published (binding)")]
    assert efficiency[0]["published"] == 1.0 and procyclicality == []
