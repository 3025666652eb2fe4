"""The correlation matrix in factor form (protocols/README.md, "Factor form"): the expansion against numpy, the same
answers as the full form of the same matrix, the admitted/ready rules, and malformed counts refused."""
import math
import random

import pytest
from google.protobuf import json_format

from fulcrum_client import MalformedPortfolioError, decode, portfolio_margin
from fulcrum_client.proto import risk_pb2

np = pytest.importorskip("numpy")


def factor_message(rng, n, k, shrinkage_intensity=0.0, shrinkage_target=0.0):
    """A random factor-form message: loading rows of norm up to ~1.1 (so the clamp binds now and then), a fifth of
    the symbols not admitted, a fifth not ready."""
    loadings = []
    for _ in range(n):
        row = [rng.gauss(0, 1) for _ in range(k)]
        norm = math.sqrt(sum(value * value for value in row)) or 1.0
        scale = rng.uniform(0.2, 1.1) / norm
        loadings += [value * scale for value in row]
    return risk_pb2.PortfolioUpdate(
        publisher_epoch=3, symbols=[f"S{i}" for i in range(n)],
        sigma_horizon=[rng.uniform(0.005, 0.05) for _ in range(n)], max_offset_fraction=0.6, coverage_epsilon=0.01,
        shrinkage_intensity=shrinkage_intensity, factor_count=k, correlation_loadings=loadings,
        correlation_admitted=[rng.random() > 0.2 for _ in range(n)],
        symbol_ready=[rng.random() > 0.2 for _ in range(n)], shrinkage_target=shrinkage_target)


def decoded(message):
    return decode("portfolio", message.SerializeToString())


def numpy_expansion(message, vectorized_rule):
    """The rule of protocols/README.md computed by numpy, independently of the client: with `vectorized_rule` the
    sum runs elementwise in ascending f (IEEE multiply then add, the rule's exact order); without, s is numpy's
    matrix product L·Lᵀ (BLAS: its own order, perhaps fused), equal only to rounding."""
    n, k = len(message.symbols), message.factor_count
    loadings = np.array(message.correlation_loadings, dtype=float).reshape(n, k)
    if vectorized_rule:
        s = np.zeros((n, n))
        for f in range(k):
            s = s + np.multiply.outer(loadings[:, f], loadings[:, f])
    else:
        s = loadings @ loadings.T
    w = message.shrinkage_intensity
    rho = (1 - w) * np.clip(s, -1, 1) + w * message.shrinkage_target
    admitted = np.array(message.correlation_admitted, dtype=bool)
    rho[~np.logical_and.outer(admitted, admitted)] = 0
    np.fill_diagonal(rho, 1)
    return rho


def full_form(message):
    """The same matrix as the packed triangle, from the client's expansion (and pair_ready from symbol_ready)."""
    update = decoded(message)
    n = len(message.symbols)
    full = risk_pb2.PortfolioUpdate()
    full.CopyFrom(message)
    for name in ("factor_count", "correlation_loadings", "correlation_admitted", "symbol_ready", "shrinkage_target"):
        full.ClearField(name)
    full.correlation.extend(update.correlation_at(i, j) for i in range(n) for j in range(i, n))
    full.pair_ready.extend(message.symbol_ready[i] and message.symbol_ready[j] for i in range(n) for j in range(i, n))
    return full


CASES = [(n, k, w, target) for n, k in [(1, 1), (7, 3), (40, 16), (60, 1)]
         for w, target in [(0.0, 0.0), (0.3, 0.0), (0.25, 0.37)]]


@pytest.mark.parametrize("n, k, w, target", CASES)
def test_expansion_matches_numpy(n, k, w, target):
    message = factor_message(random.Random(n * 1000 + k), n, k, w, target)
    matrix = np.array(decoded(message).correlation_matrix())
    assert matrix.shape == (n, n)
    # The rule's own order, elementwise: the same bits.
    assert np.array_equal(matrix, numpy_expansion(message, vectorized_rule=True))
    # BLAS's matrix product sums in its own order: equal to 1e-15.
    assert np.max(np.abs(matrix - numpy_expansion(message, vectorized_rule=False)), initial=0) <= 1e-15


@pytest.mark.parametrize("n, k, w, target", CASES)
def test_same_answers_as_the_full_form(n, k, w, target):
    rng = random.Random(7 * n + k)
    message = factor_message(rng, n, k, w, target)
    factor, full = decoded(message), decoded(full_form(message))
    assert factor.is_factor_form and not full.is_factor_form
    assert factor.correlation == () and factor.pair_ready == ()
    assert factor.correlation_matrix() == full.correlation_matrix()
    for i in range(n):
        for j in range(n):
            assert factor.correlation_at(i, j) == full.correlation_at(i, j)
            assert factor.pair_ready_at(i, j) == full.pair_ready_at(i, j)
    parameters = {symbol: decode(f"risk.{symbol}", risk_pb2.RiskParameters(symbol=symbol, mmf=0.05)
                                 .SerializeToString()) for symbol in message.symbols}
    for _ in range(20):
        chosen = rng.sample(list(message.symbols), rng.randint(1, min(n, 8)))
        positions = {symbol: rng.uniform(-1e6, 1e6) for symbol in chosen}
        assert portfolio_margin(parameters, factor, positions) == portfolio_margin(parameters, full, positions)


def test_the_documents_worked_example():
    """protocols/README.md, "Factor form": the table's values, bit for bit, and its full-form triangle."""
    message = risk_pb2.PortfolioUpdate(
        symbols=["BTC", "ETH", "SOL", "DOGE"], sigma_horizon=[0.02, 0.03, 0.05, 0.08], factor_count=2,
        correlation_loadings=[1, 0, 0.8, 0.6, 0.5, 0.5, 0.3, 0.1], correlation_admitted=[True, True, True, False],
        symbol_ready=[True, True, False, True], shrinkage_intensity=0.2, shrinkage_target=0.5)
    update = decoded(message)
    assert update.correlation_between("BTC", "ETH") == 0.7400000000000001
    assert update.correlation_between("SOL", "BTC") == 0.5
    assert update.correlation_between("ETH", "SOL") == 0.6599999999999999
    assert [update.correlation_between("DOGE", other) for other in ("BTC", "ETH", "SOL")] == [0, 0, 0]
    assert update.correlation_between("DOGE", "DOGE") == 1
    assert update.pair_ready_between("BTC", "ETH") and not update.pair_ready_between("BTC", "SOL")
    assert update.pair_ready_between("DOGE", "ETH") and not update.pair_ready_between("DOGE", "SOL")
    full = decoded(full_form(message))
    assert full.correlation == (1, 0.7400000000000001, 0.5, 0, 1, 0.6599999999999999, 0, 1, 0, 1)
    assert full.pair_ready == (True, True, False, True, True, False, True, False, False, True)


def test_admitted_and_ready_rules():
    # Loadings that would correlate everything, a strong constant target, and one of each flag off.
    message = risk_pb2.PortfolioUpdate(
        symbols=["A", "B", "C"], factor_count=1, correlation_loadings=[0.9, 0.9, 0.9],
        correlation_admitted=[True, True, False], symbol_ready=[True, False, True], shrinkage_intensity=0.5,
        shrinkage_target=0.8)
    update = decoded(message)
    assert update.correlation_at(0, 1) == 0.5 * (0.9 * 0.9) + 0.5 * 0.8
    # C is not admitted: the identity's row, shrinkage target or not.
    assert update.correlation_at(0, 2) == 0 and update.correlation_at(2, 1) == 0 and update.correlation_at(2, 2) == 1
    # Readiness is per symbol; B is never ready, not even with itself.
    assert update.pair_ready_at(0, 2) and update.pair_ready_at(0, 0)
    assert not update.pair_ready_at(0, 1) and not update.pair_ready_at(1, 2) and not update.pair_ready_at(1, 1)


def test_clamp_applies_before_shrinkage():
    message = risk_pb2.PortfolioUpdate(
        symbols=["A", "B"], factor_count=2, correlation_loadings=[1.0, 0.5, 1.0, 0.5],
        correlation_admitted=[True, True], symbol_ready=[True, True], shrinkage_intensity=0.1,
        shrinkage_target=0.2)
    assert decoded(message).correlation_at(0, 1) == 0.9 * 1.0 + 0.1 * 0.2  # s = 1.25 clamped to 1


def test_json_encoding_decodes_to_the_same_matrix():
    message = factor_message(random.Random(5), 6, 3, 0.2, 0.1)
    from_json = decode("json.portfolio", json_format.MessageToJson(message))
    assert from_json.correlation_matrix() == decoded(message).correlation_matrix()
    assert from_json.factor_count == 3 and len(from_json.correlation_loadings) == 18


@pytest.mark.parametrize("field, value, expected", [
    ("correlation_loadings", [0.1] * 5,
     r"5 correlation_loadings for 3 symbols and factor_count 2 \(expected n·k = 6\)"),
    ("correlation_admitted", [True, True], r"2 correlation_admitted and 3 symbol_ready flags for 3 symbols"),
    ("symbol_ready", [True] * 4, r"3 correlation_admitted and 4 symbol_ready flags for 3 symbols"),
])
def test_bad_factor_counts_are_refused(field, value, expected):
    message = risk_pb2.PortfolioUpdate(
        symbols=["A", "B", "C"], sigma_horizon=[0.01] * 3, max_offset_fraction=0.5, factor_count=2,
        correlation_loadings=[0.1] * 6, correlation_admitted=[True] * 3, symbol_ready=[True] * 3)
    parameters = {symbol: decode(f"risk.{symbol}", risk_pb2.RiskParameters(symbol=symbol, mmf=0.05)
                                 .SerializeToString()) for symbol in "ABC"}
    assert portfolio_margin(parameters, decoded(message), {"A": 1.0, "B": -1.0}) is not None
    message.ClearField(field)
    getattr(message, field).extend(value)
    update = decoded(message)
    with pytest.raises(MalformedPortfolioError, match=expected):
        update.correlation_at(0, 1)
    with pytest.raises(MalformedPortfolioError, match=expected):
        update.correlation_matrix()
    with pytest.raises(MalformedPortfolioError, match=expected):
        update.pair_ready_at(0, 1)
    assert portfolio_margin(parameters, update, {"A": 1.0, "B": -1.0}) is None


def test_a_bad_triangle_and_bad_indices_are_refused():
    update = decoded(risk_pb2.PortfolioUpdate(symbols=["A", "B"], correlation=[1, 0.5], pair_ready=[True] * 3))
    with pytest.raises(MalformedPortfolioError, match=r"2 correlation and 3 pair_ready entries for 2 symbols"):
        update.correlation_matrix()
    good = decoded(risk_pb2.PortfolioUpdate(symbols=["A", "B"], correlation=[1, 0.5, 1], pair_ready=[True] * 3))
    assert good.correlation_matrix() == [[1, 0.5], [0.5, 1]]
    with pytest.raises(MalformedPortfolioError, match="outside the 2 symbols"):
        good.correlation_at(0, 2)
    with pytest.raises(MalformedPortfolioError, match="outside the 2 symbols"):
        good.pair_ready_at(-1, 0)


def test_an_empty_factor_form_message():
    update = decoded(risk_pb2.PortfolioUpdate(factor_count=4))
    assert update.is_factor_form and update.correlation_matrix() == []
