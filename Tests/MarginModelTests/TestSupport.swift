import FulcrumTestSupport
@testable import MarginModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SplitMix64 {
    /// Uniform on (lower, upper), from ``nextUnit()``.
    mutating func nextDouble(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// Student-t with integer ν: Z / √(χ²_ν / ν), χ²_ν as a sum of ν squared normals (``nextGaussian()``).
    mutating func nextStudentT(degreesOfFreedom nu: Int) -> Double {
        let z = nextGaussian()
        var chiSquared = 0.0
        for _ in 0..<nu {
            let g = nextGaussian()
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
    // The one-step tail scaled by √(H/Δ): these tests hold FHS to a sort of the residuals (or an ideal sample
    // in quantile order, whose consecutive values are no path); HorizonAggregationTests covers the k-step blocks.
    configuration.coverage.horizonAggregation = .squareRoot
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
