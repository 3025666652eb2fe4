#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reproducible simulated market.
///
/// Log prices follow dXᵢ = −½σᵢ²dt + σᵢ·s(t)·dWᵢ + J·dNᵢ, with one-factor correlated shocks
/// dWᵢ = √ρ·dZ + √(1−ρ)·dεᵢ, Poisson jumps N of normal log size, and a regime multiplier s(t)
/// that switches between 1 and the stress multiplier with exponential holding times (in event
/// time, so regimes are reproducible from the seed). The drift term keeps each price a martingale.
public struct MarketSimulator: Sendable {
    /// The configuration.
    public let configuration: SimulationConfiguration
    /// Current prices, in configuration order.
    public private(set) var prices: [Double]
    /// Whether the stressed regime is on.
    public private(set) var isStressed = false
    /// Regime switches so far.
    public private(set) var regimeSwitches = 0
    private var random: SplitMix64
    private var regimeEndsIn: Double

    /// Starts the market at its initial prices.
    public init(configuration: SimulationConfiguration) {
        self.configuration = configuration
        prices = configuration.assets.map(\.initialPrice)
        random = SplitMix64(seed: configuration.seed)
        regimeEndsIn = 0
        regimeEndsIn = exponential(mean: configuration.meanCalmSeconds)
    }

    private mutating func exponential(mean: Double) -> Double { -mean * log(random.nextUnit()) }

    /// Advances the market by `seconds` of event time and returns the new prices.
    public mutating func advance(seconds: Double) -> [Double] {
        let simulated = seconds * configuration.speedup
        advanceRegime(seconds)
        let dt = simulated / (365 * 86_400)
        let rho = min(max(configuration.correlation, 0), 1)
        let common = random.nextGaussian()
        let jumpProbability = 1 - exp(-configuration.jumpsPerDay * simulated / 86_400)
        let scale = isStressed ? configuration.stressMultiplier : 1
        for index in prices.indices {
            let sigma = configuration.assets[index].annualVolatility * scale
            let shock = rho.squareRoot() * common + (1 - rho).squareRoot() * random.nextGaussian()
            var move = -0.5 * sigma * sigma * dt + sigma * dt.squareRoot() * shock
            if random.nextUnit() < jumpProbability { move += configuration.jumpSize * random.nextGaussian() }
            prices[index] *= exp(move)
        }
        return prices
    }

    private mutating func advanceRegime(_ seconds: Double) {
        regimeEndsIn -= seconds
        while regimeEndsIn <= 0 {
            isStressed.toggle()
            regimeSwitches += 1
            regimeEndsIn += exponential(mean: isStressed ? configuration.meanStressSeconds : configuration.meanCalmSeconds)
        }
    }
}
