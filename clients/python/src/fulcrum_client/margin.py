"""Portfolio margin from the published parameters, exactly as protocols/README.md ("Portfolio margin") and the Swift
library (`RiskFeedState.portfolioMargin(positions:)`) compute it."""
import math

from .types import MalformedPortfolioError


def maintenance_margin(parameters, notional):
    """Maintenance margin of |notional| N under the published tiers: N·mmf − maintenance_deduction of the last tier
    whose notional_floor is ≤ N (the first tier below every floor); N·mmf without tiers."""
    size = abs(notional)
    if not parameters.tiers:
        return size * parameters.mmf
    tier = parameters.tiers[0]
    for candidate in parameters.tiers:
        if candidate.notional_floor <= size:
            tier = candidate
    return size * tier.mmf - tier.maintenance_deduction


def portfolio_margin(parameters, portfolio, positions):
    """Portfolio margin of signed notionals {symbol: notional}, exactly as protocols/README.md ("Portfolio margin")
    and the Swift library compute it, from either form of the correlation matrix (the factor form expanded for
    the positions' pairs only: O(m²·k) for m positions); None when an input is missing or the update is
    malformed."""
    if portfolio is None or not positions:
        return None
    index = {}
    for column, symbol in enumerate(portfolio.symbols):
        index.setdefault(symbol, column)
    try:
        portfolio.validate()
    except MalformedPortfolioError:
        return None
    cap_fraction, epsilon = portfolio.max_offset_fraction, portfolio.coverage_epsilon
    if not (0 <= cap_fraction <= 1) or (epsilon > 0 and not epsilon < 0.5):
        return None
    columns, notionals, standalone = [], [], []
    for symbol in sorted(positions):
        column = index.get(symbol)
        if column is None or symbol not in parameters or column >= len(portfolio.sigma_horizon):
            return None
        columns.append(column)
        notionals.append(positions[symbol])
        standalone.append(maintenance_margin(parameters[symbol], positions[symbol]))

    sigmas = [portfolio.sigma_horizon[c] for c in columns]
    invalid, undiversified, standalone_sum = False, 0.0, 0.0
    for w, sigma in zip(notionals, sigmas):
        if not (math.isfinite(w) and math.isfinite(sigma) and sigma >= 0):
            invalid = True
        scaled = abs(w) * sigma
        if math.isfinite(scaled):
            undiversified += scaled
    for value in standalone:
        if math.isfinite(value) and value >= 0:
            standalone_sum += value
        else:
            invalid = True
    result = {"margin": standalone_sum, "standalone_sum": standalone_sum, "credit": 0.0, "uncapped_credit": 0.0,
              "credit_capped": False, "pairs_without_credit": 0, "invalid_input": invalid}
    if invalid or undiversified == 0:
        return result
    variance, pairs_without_credit = 0.0, 0
    for i in range(len(columns)):
        xi = notionals[i] * sigmas[i]
        if xi == 0:
            continue
        variance += xi * xi
        for j in range(i):
            xj = notionals[j] * sigmas[j]
            if xj == 0:
                continue
            rho = portfolio.correlation_at(columns[i], columns[j])
            if not (-1 <= rho <= 1) or not portfolio.pair_ready_at(columns[j], columns[i]):
                rho = 1.0 if xi * xj > 0 else -1.0  # the worst case: no credit for this pair
                pairs_without_credit += 1
            variance += 2 * rho * xi * xj
    ratio = min(math.sqrt(max(variance, 0.0)) / undiversified, 1.0)
    uncapped = (1 - ratio) * standalone_sum
    credit = min(uncapped, cap_fraction * standalone_sum)
    result.update(margin=standalone_sum - credit, credit=credit, uncapped_credit=uncapped,
                  credit_capped=uncapped > cap_fraction * standalone_sum, pairs_without_credit=pairs_without_credit)
    return result
