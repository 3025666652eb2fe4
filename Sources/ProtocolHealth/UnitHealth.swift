/// The health of one margin unit (a cross account or an isolated position) at the current marks.
///
/// Equity E = C + Σ qᵢ·(Pᵢ − entryᵢ); maintenance M = Σ tierᵢ(|qᵢ|·Pᵢ) (N·MMFₙ − dₙ); the unit is liquidated when
/// E < M. The distance to liquidation in σ is the t at which E − M reaches zero when every market moves t of its
/// horizon σ against the unit at once: E − M falls by Σ |qᵢ|·Pᵢ·σᵢ·(1 − rᵢ·sign qᵢ) per unit of t, rᵢ the
/// marginal MMF of the position's tier (a long's margin shrinks as its price falls, a short's grows). Moving every
/// market against the unit together is the conservative reading for hedged accounts; within a tier the answer is
/// exact, across a tier boundary it is a linearization of the continuous, piecewise-linear schedule.
public struct UnitHealth: Sendable, Hashable {
    /// Equity E (quote).
    public var equity: Double
    /// Maintenance margin M (quote).
    public var maintenance: Double
    /// Σ |q|·P over the unit's positions (quote).
    public var notional: Double
    /// E − M lost per σ of adverse move (quote per σ).
    public var sensitivity: Double

    /// Creates a unit's health.
    public init(equity: Double, maintenance: Double, notional: Double, sensitivity: Double) {
        self.equity = equity
        self.maintenance = maintenance
        self.notional = notional
        self.sensitivity = sensitivity
    }

    /// M / E: ≥ 1 (or E ≤ 0) means liquidatable; +∞ when E ≤ 0.
    public var marginRatio: Double { equity > 0 ? maintenance / equity : .infinity }
    /// Whether the unit is below maintenance now.
    public var isLiquidatable: Bool { equity < maintenance }
    /// Notional / equity; +∞ when E ≤ 0.
    public var leverage: Double { equity > 0 ? notional / equity : .infinity }
    /// (E − M) / sensitivity, in horizon σ; negative when already liquidatable, +∞ without exposure.
    public var distanceInSigma: Double {
        sensitivity > 0 ? (equity - maintenance) / sensitivity : (equity < maintenance ? -.infinity : .infinity)
    }
}
