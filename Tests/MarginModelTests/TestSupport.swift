@testable import MarginModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Double {
    /// True when the two values agree to `relativeTolerance` of the larger magnitude (or both are within
    /// `absoluteTolerance` of each other, for values near zero).
    func isApproximatelyEqual(
        to other: Double, relativeTolerance: Double = 1e-12, absoluteTolerance: Double = 0
    ) -> Bool {
        if self == other { return true }
        guard isFinite, other.isFinite else { return false }
        let difference = abs(self - other)
        return difference <= absoluteTolerance || difference <= relativeTolerance * Swift.max(abs(self), abs(other))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator for reproducible property tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on the open interval (0, 1).
    mutating func nextUniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Uniform on [lower, upper).
    mutating func nextDouble(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUniform()
    }

    /// Standard normal by the Box–Muller transform (one of the pair is discarded for simplicity).
    mutating func nextNormal() -> Double {
        let u1 = nextUniform()
        let u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Student-t with integer ν: Z / √(χ²_ν / ν), χ²_ν as a sum of ν squared normals.
    mutating func nextStudentT(degreesOfFreedom nu: Int) -> Double {
        let z = nextNormal()
        var chiSquared = 0.0
        for _ in 0..<nu {
            let g = nextNormal()
            chiSquared += g * g
        }
        return z / (chiSquared / Double(nu)).squareRoot()
    }
}

/// A residual ring buffer shaped like the estimator's, handing out `ResidualWindow`s over its two halves.
struct ResidualRing {
    private(set) var storage: [Double]
    private(set) var count = 0
    private(set) var head = 0  // index of the oldest element
    private(set) var totalAppended: UInt64 = 0

    init(capacity: Int) { storage = [Double](repeating: 0, count: capacity) }

    mutating func append(_ value: Double) {
        let capacity = storage.count
        if count < capacity {
            storage[(head + count) % capacity] = value
            count += 1
        } else {
            storage[head] = value
            head = (head + 1) % capacity
        }
        totalAppended += 1
    }

    /// Chronological contents.
    var values: [Double] { (0..<count).map { storage[(head + $0) % storage.count] } }

    func withWindow<Result>(_ body: (ResidualWindow) -> Result) -> Result {
        storage.withUnsafeBufferPointer { buffer in
            let capacity = storage.count
            let firstLength = min(count, capacity - head)
            let older = UnsafeBufferPointer(rebasing: buffer[head..<(head + firstLength)])
            let newer = UnsafeBufferPointer(rebasing: buffer[0..<(count - firstLength)])
            return body(ResidualWindow(older: older, newer: newer, totalAppended: totalAppended))
        }
    }
}

/// A configuration stripped of costs, buffers and floors, so that MMF equals the tail loss.
func bareConfiguration(measure: RiskMeasure = .valueAtRisk, epsilon: Double = 0.01, horizonSteps: Int64 = 1,
                       gridNs: Int64 = 1_000_000_000) -> MarginModelConfiguration {
    var configuration = MarginModelConfiguration()
    configuration.coverage.riskMeasure = measure
    configuration.coverage.tailProbability = epsilon
    configuration.coverage.liquidationHorizonNs = horizonSteps * gridNs
    configuration.liquidation.fixedCostFraction = 0
    configuration.liquidation.unknownLiquidityCostFraction = 0
    configuration.leverage.minimumInitialMarginFraction = 1e-9
    configuration.leverage.minimumMaintenanceMarginFraction = 1e-9
    configuration.antiProcyclicality.mode = .off
    return configuration
}

/// Brute-force FHS: sort the residuals and average the k = ⌈ε·n⌉ worst exact losses (or take the k-th).
func bruteForceTailLosses(_ residuals: [Double], epsilon: Double, horizonSigma: Double,
                          measure: RiskMeasure) -> (long: Double, short: Double) {
    let sorted = residuals.sorted()
    let k = max(1, Int((epsilon * Double(sorted.count)).rounded(.up)))
    let lowest = sorted.prefix(k).map { 1 - exp(horizonSigma * $0) }
    let highest = sorted.suffix(k).reversed().map { exp(horizonSigma * $0) - 1 }
    switch measure {
    case .valueAtRisk: return (lowest[k - 1], highest[k - 1])
    case .expectedShortfall:
        return (lowest.reduce(0, +) / Double(k), highest.reduce(0, +) / Double(k))
    }
}
