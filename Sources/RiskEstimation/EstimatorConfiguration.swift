import FulcrumSettings

/// Settings of a `RiskEstimator`; validated once with `validate(keyPrefix:)` before use.
///
/// All durations are in nanoseconds of event time (exchange timestamps), never wall-clock time.
///
/// Decoding (see `EstimatorConfiguration+Codable.swift`) tolerates missing keys: each one takes the default below,
/// so a configuration file names only what differs.
public struct EstimatorConfiguration: Sendable, Hashable {
    /// Grid interval Δ in nanoseconds; boundaries lie at whole multiples of Δ since the Unix epoch.
    /// Default 1 s. Allowed: > 0.
    public var gridInterval: Int64 = 1_000_000_000

    /// How long after a boundary its interval stays open for late ticks: the boundary b closes when a tick with
    /// timestamp ≥ b + lateness arrives. Default 0. Allowed: 0 ≤ lateness < gridInterval (so at most the current
    /// and the next interval are open at once, which keeps per-tick work O(1)).
    public var lateness: Int64 = 0

    /// EWMA half-life h in nanoseconds; the per-step decay is λ = 2^(−Δ/h).
    /// Default 60 s: at the default 1 s grid λ ≈ 0.98851, the weights' maximum effective sample size is
    /// (1+λ)/(1−λ) ≈ 173 steps, well above the warm-up threshold of 30, and the estimate follows a regime change
    /// within about a minute. (RiskMetrics' daily λ = 0.94 is a half-life of about 11.2 steps; on a 1 s grid that
    /// would cap the effective sample size near 32 and make every estimate noisy.) Allowed: > 0.
    public var halfLife: Int64 = 60_000_000_000

    /// Half-life h_s in nanoseconds of the long-horizon ("stressed") EWMA variance behind
    /// `RiskEstimator.stressedVolatility(_:)`, the margin model's anti-procyclical floor; the per-step decay is
    /// λ_s = 2^(−Δ/h_s). Default 30 days (2,592,000 s): a stress episode keeps weighing on the floor for months
    /// after the regular estimate has forgotten it. Allowed: ≥ `halfLife`, and long enough that the largest
    /// effective sample size (1+λ_s)/(1−λ_s) exceeds `warmupESS`.
    public var stressedHalfLife: Int64 = 2_592_000 * 1_000_000_000

    /// Number W of most recent grid returns in the equal-weight window estimator. Default 300 (5 minutes at 1 s).
    /// Allowed: 1...1_000_000.
    public var window: Int = 300

    /// Which variance is "the" variance (volatility, status, residuals). Default `.ewma`.
    public var method: VolatilityMethod = .ewma

    /// Effective sample size an asset (for `method`'s weights) or a pair (EWMA weights) needs to be `.ready`.
    /// Default 30. Allowed: ≥ 1, finite, and reachable: below (1+λ)/(1−λ) for `.ewma`, at most `window` for
    /// `.window`.
    public var warmupESS: Double = 30

    /// Capacity of each asset's ring of standardized residuals z = r/σ_prev. Default 10,000. Allowed: 1...10_000_000.
    public var residualCapacity: Int = 10_000

    /// Shrinkage of the published correlation matrix. Default `.none`.
    public var shrinkage: Shrinkage = .none

    /// Most boundaries closed one by one when a tick arrives after a long gap; the older part of the gap is
    /// fast-forwarded in closed form (zero returns: EWMA sums multiplied by λ^k, window filled with zeros), so the
    /// work is O(N² + N·(window + residualCapacity)) whatever the gap. Default 3,600 (one hour at 1 s).
    /// Allowed: ≥ 2 (the first two boundaries of a gap may still carry prices).
    public var maxCatchUpSteps: Int = 3_600

    /// Largest share of the grid's EWMA weight an asset may be missing, because it started later than the oldest
    /// asset, before its correlations are published: until then its correlation row and column are those of the
    /// identity. With the correlation taken from the zero-filled common-grid Gram matrix (see
    /// `RiskEstimator.correlation(_:_:)`), a pair of a late joiner with an older asset is biased towards zero by a
    /// factor of about √(1 − share), so 0.01 bounds that bias near 0.5 %. Default 0.01. Allowed: 0 ≤ value < 1.
    public var correlationAdmission: Double = 0.01

    /// Where the correlations come from: the full EWMA matrix (`.full`, the default: N(N+1)/2 pair sums and O(N²)
    /// work per step, exact) or a k-factor model of it (`.factors`: O(N·k) memory, O(N·k²) per step, for large
    /// universes; see ``CorrelationModel``). The factor model always uses this configuration's λ; its configured
    /// decay is ignored. Allowed: `.factors` only with `.none` or `.fixed` shrinkage (Ledoit–Wolf needs the N²
    /// fourth moments), and a valid factor configuration.
    public var correlationModel: CorrelationModel = .full

    /// Creates the default configuration.
    public init() {}

    /// The per-step EWMA decay λ = 2^(−Δ/h).
    public var decay: Double {
        GridMath.power(2, -Double(gridInterval) / Double(halfLife))
    }

    /// The per-step decay λ_s = 2^(−Δ/h_s) of the stressed EWMA.
    public var stressedDecay: Double {
        GridMath.exponential(stressedLogDecay)
    }

    /// ln λ_s = −(Δ/h_s)·ln 2, formed directly rather than as the logarithm of the rounded λ_s: with λ_s within
    /// 10⁻⁶ of 1 the rounding of λ_s alone would be a relative error of up to 4·10⁻¹⁰ in 1 − λ_s.
    var stressedLogDecay: Double {
        -(Double(gridInterval) / Double(stressedHalfLife)) * GridMath.logTwo
    }

    /// Checks every value; throws a `ConfigurationError` naming the first bad key, its value and what is allowed.
    /// `keyPrefix` is the path of the section in a configuration file (e.g. `estimation` gives
    /// `estimation.halfLife`); keys are written as the Codable form spells them (`shrinkage.fixed.intensity`).
    public func validate(keyPrefix: String = "") throws(ConfigurationError) {
        func fail(_ key: String, _ value: String, _ allowed: String) -> ConfigurationError {
            ConfigurationError(key: ConfigurationError.key(key, under: keyPrefix), value: value, allowed: allowed)
        }
        guard gridInterval > 0 else { throw fail("gridInterval", "\(gridInterval)", "> 0 ns") }
        guard lateness >= 0 && lateness < gridInterval else {
            throw fail("lateness", "\(lateness)", "0 ≤ lateness < gridInterval (\(gridInterval) ns)")
        }
        guard halfLife > 0 else { throw fail("halfLife", "\(halfLife)", "> 0 ns") }
        let lambda = decay
        guard lambda > 0 && lambda < 1 else {
            throw fail("halfLife", "\(halfLife)", "a half-life giving a decay 0 < λ < 1 (got λ = \(lambda))")
        }
        guard (1...1_000_000).contains(window) else { throw fail("window", "\(window)", "1...1000000") }
        guard warmupESS.isFinite && warmupESS >= 1 else { throw fail("warmupESS", "\(warmupESS)", "finite ≥ 1") }
        switch method {
        case .ewma:
            let maximum = (1 + lambda) / (1 - lambda)
            guard warmupESS < maximum else {
                throw fail("warmupESS", "\(warmupESS)", "< \(maximum), the largest ESS reachable with this half-life")
            }
        case .window:
            guard warmupESS <= Double(window) else {
                throw fail("warmupESS", "\(warmupESS)", "≤ window (\(window)) for the window method")
            }
        }
        guard stressedHalfLife >= halfLife else {
            throw fail("stressedHalfLife", "\(stressedHalfLife)", "≥ halfLife (\(halfLife) ns)")
        }
        // (1+λ_s)/(1−λ_s) = (2 − c)/c with c = 1 − λ_s = −expm1(ln λ_s), accurate even for λ_s next to 1.
        let stressedComplement = -GridMath.exponentialMinusOne(stressedLogDecay)
        let stressedMaximum = (2 - stressedComplement) / stressedComplement
        guard warmupESS < stressedMaximum else {
            throw fail("stressedHalfLife", "\(stressedHalfLife)",
                       "a half-life whose largest ESS \(stressedMaximum) exceeds warmupESS (\(warmupESS))")
        }
        guard (1...10_000_000).contains(residualCapacity) else {
            throw fail("residualCapacity", "\(residualCapacity)", "1...10000000")
        }
        if case .fixed(let intensity, _) = shrinkage {
            guard intensity.isFinite && intensity >= 0 && intensity <= 1 else {
                throw fail("shrinkage.fixed.intensity", "\(intensity)", "0 ≤ intensity ≤ 1")
            }
        }
        if let factorConfiguration = correlationModel.factorConfiguration(decay: lambda) {
            if case .ledoitWolf = shrinkage {
                throw fail("correlationModel", "factors",
                           "full with ledoitWolf shrinkage (it needs the N² fourth moments the factor model does not "
                           + "keep); with factors, none or fixed shrinkage")
            }
            try factorConfiguration.validate(keyPrefix: ConfigurationError.key("correlationModel.factors",
                                                                               under: keyPrefix))
        }
        guard maxCatchUpSteps >= 2 else { throw fail("maxCatchUpSteps", "\(maxCatchUpSteps)", "≥ 2") }
        guard correlationAdmission.isFinite && correlationAdmission >= 0 && correlationAdmission < 1 else {
            throw fail("correlationAdmission", "\(correlationAdmission)", "0 ≤ value < 1")
        }
    }
}
