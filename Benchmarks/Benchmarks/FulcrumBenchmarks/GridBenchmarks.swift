import Benchmark
import Foundation
import MarginModel
import RiskEstimation

/// An estimator and an optimizer over `assets` assets fed by independent random walks, one grid step at a time.
final class GridWorkload {
    var estimator: RiskEstimator
    var optimizer: MarginOptimizer
    let assets: Int
    let interval: Int64
    private var logPrices: [Double]
    private var time: Int64 = 1_700_000_000_000_000_000
    private var random = SplitMix64(seed: 42)

    init(assets: Int, warmupSteps: Int) throws {
        self.assets = assets
        let configuration = EstimatorConfiguration()
        interval = configuration.gridInterval
        estimator = RiskEstimator(configuration: configuration, assetCapacity: assets)
        optimizer = try MarginOptimizer(configuration: MarginModelConfiguration(), symbols: [])
        logPrices = (0..<assets).map { Double($0 % 50) * 0.1 + 3 }
        for index in 0..<assets {
            _ = estimator.addAsset()
            _ = try optimizer.addAsset(symbol: "SYM\(index)")
        }
        for step in 0..<warmupSteps {
            if let closed = advance(), step >= warmupSteps - 20 { optimize(closed) }
        }
    }

    /// Records one price per asset inside the open interval, then closes it (the estimator's grid step).
    @discardableResult
    func advance() -> GridStep? {
        time += interval
        for asset in 0..<assets {
            logPrices[asset] += 1e-3 * random.nextGaussian()
            estimator.record(asset: asset, timestamp: time, price: exp(logPrices[asset]))
        }
        return estimator.closeNextInterval(upTo: time + interval)
    }

    /// Every asset's margins after `step`, as the engine computes them.
    func optimize(_ step: GridStep) {
        for asset in 0..<assets {
            let parameters = estimator.withResiduals(asset: asset) { older, newer in
                optimizer.update(asset: asset, inputs: AssetRiskInputs(
                    eventTimeNs: step.boundary,
                    sigmaStep: estimator.volatility(asset),
                    gridIntervalNs: interval,
                    effectiveSampleSize: estimator.ess(asset),
                    isWarming: estimator.status(asset) != .ready,
                    residuals: ResidualWindow(older: older, newer: newer,
                                              totalAppended: estimator.residualsAppended(asset)),
                    stalenessNs: estimator.staleness(asset)?.nanoseconds ?? 0,
                    lastStandardizedReturn: estimator.lastStandardizedReturn(asset) ?? 0,
                    stressedSigmaStep: estimator.stressedVolatility(asset),
                    averageDailyVolumeNotional: 1e9
                ))
            }
            blackHole(parameters)
        }
    }
}

func registerGridBenchmarks() {
    for assets in [10, 100, 1_000] {
        guard let workload = try? GridWorkload(assets: assets, warmupSteps: assets >= 1_000 ? 200 : 1_000) else {
            fatalError("grid workload of \(assets) assets")
        }
        Benchmark("Grid step, N = \(assets)") { _ in
            blackHole(workload.advance())
        }
    }
    for assets in [100, 1_000] {
        guard let workload = try? GridWorkload(assets: assets, warmupSteps: assets >= 1_000 ? 200 : 1_000) else {
            fatalError("optimizer workload of \(assets) assets")
        }
        Benchmark("Optimizer step, N = \(assets)") { benchmark in
            guard let step = workload.advance() else { return }
            benchmark.startMeasurement()
            workload.optimize(step)
            benchmark.stopMeasurement()
        }
    }
}

/// Deterministic 64-bit generator (SplitMix64) with Box–Muller normals.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// √(−2 ln u₁)·cos(2π u₂) with u₁ ∈ (0, 1].
    mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992
        let u2 = Double(next() >> 11) / 9_007_199_254_740_992
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
