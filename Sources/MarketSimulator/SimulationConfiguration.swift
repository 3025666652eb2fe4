/// Parameters of the built-in market: correlated geometric Brownian motion with Poisson jumps
/// and a two-state (calm/stressed) volatility regime.
public struct SimulationConfiguration: Sendable, Hashable, Codable {
    /// The instruments.
    public var assets: [SimulatedAsset] = [
        SimulatedAsset(symbol: "BTC-USD", initialPrice: 65_000, annualVolatility: 0.55),
        SimulatedAsset(symbol: "ETH-USD", initialPrice: 3_400, annualVolatility: 0.70),
        SimulatedAsset(symbol: "SOL-USD", initialPrice: 150, annualVolatility: 0.95),
        SimulatedAsset(symbol: "DOGE-USD", initialPrice: 0.16, annualVolatility: 1.10),
        SimulatedAsset(symbol: "LINK-USD", initialPrice: 14, annualVolatility: 0.90),
    ]
    /// Correlation of every pair of assets' diffusion shocks (one-factor structure).
    public var correlation: Double = 0.6
    /// Expected jumps per asset per simulated day. Default 6: a move of about 1 % within a second a few times a
    /// day, as liquid crypto pairs show; each one trips the circuit breaker (a shock of many σ), so the demo's
    /// assets show STRESSED now and then, not most of the time.
    public var jumpsPerDay: Double = 6
    /// Standard deviation of a jump's log size. Default 0.8 %.
    public var jumpSize: Double = 0.008
    /// Volatility multiplier in the stressed regime. Default 2.5 (a calm-to-turbulent day on crypto markets).
    public var stressMultiplier: Double = 2.5
    /// Mean calm-regime duration in seconds of event time (not compressed). Default 1 h: READY most of the time.
    public var meanCalmSeconds: Double = 3_600
    /// Mean stressed-regime duration in seconds of event time. Default 5 min.
    public var meanStressSeconds: Double = 300
    /// Time compression: simulated seconds per second of event time. The default 1 keeps volatilities
    /// (and so margins) realistic.
    public var speedup: Double = 1
    /// Seed of the random generator; equal seeds replay the same market.
    public var seed: UInt64 = 20_261_125

    /// The defaults.
    public init() {}
}
