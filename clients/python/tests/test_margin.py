"""Portfolio margin on the worked example of protocols/README.md ("Portfolio margin")."""
import math

import pytest

from fulcrum_client import decode, maintenance_margin, portfolio_margin
from fulcrum_client.proto import risk_pb2


def parameters(symbol, tiers=(), mmf=0.0):
    message = risk_pb2.RiskParameters(symbol=symbol, mmf=mmf, tiers=[
        risk_pb2.MarginTier(notional_floor=floor, notional_cap=cap, mmf=tier_mmf, maintenance_deduction=deduction)
        for floor, cap, tier_mmf, deduction in tiers])
    return decode(f"risk.{symbol}", message.SerializeToString())


def portfolio(max_offset_fraction):
    message = risk_pb2.PortfolioUpdate(symbols=["BTC", "ETH", "SOL"], sigma_horizon=[0.02, 0.03, 0.05],
                                       correlation=[1, 0.8, 0.5, 1, 0.6, 1],
                                       pair_ready=[True, True, False, True, False, True],
                                       max_offset_fraction=max_offset_fraction)
    return decode("portfolio", message.SerializeToString())


STATE = {"BTC": parameters("BTC", [(0, 50_000, 0.04, 0), (50_000, math.inf, 0.05, 500)]),
         "ETH": parameters("ETH", [(0, math.inf, 0.06, 0)]),
         "SOL": parameters("SOL", mmf=0.10)}


@pytest.mark.parametrize("positions, fraction, margin", [
    ({"BTC": 100_000, "ETH": -50_000}, 0.5, 3_750),
    ({"BTC": 100_000, "ETH": -50_000}, 0.75, 2_580.342),
    ({"BTC": 100_000, "ETH": 50_000}, 0.5, 7_123.187),
    ({"BTC": 100_000, "SOL": -20_000}, 0.5, 6_500),
])
def test_worked_example(positions, fraction, margin):
    result = portfolio_margin(STATE, portfolio(fraction), positions)
    assert result["margin"] == pytest.approx(margin, abs=1e-3)


def test_tiers_are_continuous_and_missing_inputs_give_no_result():
    assert maintenance_margin(STATE["BTC"], 50_000) == pytest.approx(2_000)
    assert maintenance_margin(STATE["BTC"], -100_000) == pytest.approx(4_500)
    assert maintenance_margin(STATE["SOL"], 20_000) == pytest.approx(2_000)
    assert portfolio_margin(STATE, portfolio(0.5), {"XRP": 1}) is None
    assert portfolio_margin(STATE, None, {"BTC": 1}) is None
