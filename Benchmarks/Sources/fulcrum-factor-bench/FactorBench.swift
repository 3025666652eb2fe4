import Foundation
import RiskEstimation

/// The factor model's update (`FactorCovariance.update`) at N = 1,000 and 10,000 assets with k = 10 and 32
/// factors, beside the full EWMA matrix's grid step (`RiskEstimator.closeNextInterval`, O(N²)) at N = 1,000 in the
/// same run, and the factor model's correlation error against that full matrix on the same returns.
///
/// Returns: a seeded model with 8 true factors (a market factor and 7 weaker ones) and idiosyncratic noise making
/// 40 % of each asset's variance, 1 s grid, the estimator's default half-life (60 s). Times are the calling
/// thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`) around one update (resp. the call that closes one interval),
/// after a warm-up of 10 half-lives. One JSON line per measurement.
///
///     fulcrum-factor-bench [--assets "1000 10000"] [--factors "10 32"] [--warmup STEPS] [--steps STEPS]
///                          [--full-assets "1000"]     (--full-assets 0: no full-matrix run)
@main
struct FactorBench {
    static func main() throws {
        var assetCounts = [1_000, 10_000]
        var factorCounts = [10, 32]
        var fullAssets = [1_000]
        var warmup = 600
        var steps = 400
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            guard let value = arguments.next() else { throw BenchError("\(argument) needs a value") }
            let numbers = value.split(separator: " ").compactMap { Int($0) }
            guard !numbers.isEmpty else { throw BenchError("\(argument) needs integers") }
            switch argument {
            case "--assets": assetCounts = numbers
            case "--factors": factorCounts = numbers
            case "--full-assets": fullAssets = numbers
            case "--warmup": warmup = numbers[0]
            case "--steps": steps = numbers[0]
            default: throw BenchError("unknown option \(argument)")
            }
        }
        let estimation = EstimatorConfiguration()
        for assets in fullAssets where assets > 0 {
            print(fullMatrixRun(assets: assets, factorCounts: factorCounts, estimation: estimation,
                                warmup: warmup, steps: steps))
        }
        for assets in assetCounts where assets > 0 {
            for factors in factorCounts {
                print(factorRun(assets: assets, factors: factors, estimation: estimation, warmup: warmup,
                                steps: steps))
            }
        }
    }

    /// The factor model alone on generated returns.
    static func factorRun(assets: Int, factors: Int, estimation: EstimatorConfiguration, warmup: Int,
                          steps: Int) -> String {
        let rssBefore = Clock.residentBytes
        var generator = FactorReturns(assets: assets, seed: 42)
        var model = FactorCovariance(configuration: FactorConfiguration(estimation: estimation, factors: factors),
                                     assetCount: assets)
        for _ in 0..<warmup {
            generator.next()
            model.update(returns: generator.returns)
        }
        var cpu: [Int64] = []
        cpu.reserveCapacity(steps)
        for _ in 0..<steps {
            generator.next()
            let start = Clock.thread
            model.update(returns: generator.returns)
            cpu.append(Clock.thread - start)
        }
        let rssAfter = Clock.residentBytes
        return "{\"kind\": \"factor\", \"assets\": \(assets), \"factors\": \(factors), \"steps\": \(steps), "
            + "\"update\": \(Summary(cpu).json), \"modelBytes\": \(model.memoryBytes), "
            + "\"residentGrowthBytes\": \(rssAfter - rssBefore), \"rank\": \(model.rank), "
            + String(format: "\"orthonormalityError\": %.2e}", model.orthonormalityError)
    }

    /// The full matrix (`RiskEstimator`) fed prices from the generated returns, its step timed, and factor models
    /// fed the estimator's own grid returns; at the end, every pair's factor-model correlation against the full
    /// matrix's raw correlation.
    static func fullMatrixRun(assets: Int, factorCounts: [Int], estimation: EstimatorConfiguration, warmup: Int,
                              steps: Int) -> String {
        var generator = FactorReturns(assets: assets, seed: 42)
        var estimator = RiskEstimator(configuration: estimation, assetCapacity: assets)
        for _ in 0..<assets { _ = estimator.addAsset() }
        var models = factorCounts.map {
            FactorCovariance(configuration: FactorConfiguration(estimation: estimation, factors: $0),
                             assetCount: assets)
        }
        var logPrices = Array(repeating: 0.0, count: assets)
        var stepReturns = Array(repeating: 0.0, count: assets)
        let interval = estimation.gridInterval
        var time: Int64 = 1_700_000_000_000_000_000
        var cpu: [Int64] = []
        cpu.reserveCapacity(steps)
        for step in 0..<(warmup + steps + 1) {
            let start = Clock.thread
            while estimator.closeNextInterval(upTo: time) != nil {}
            let elapsed = Clock.thread - start
            if step > warmup { cpu.append(elapsed) }
            if estimator.returnCount(0) > 0 && step > 0 {
                for asset in 0..<assets { stepReturns[asset] = estimator.lastReturn(asset) }
                for index in models.indices { models[index].update(returns: stepReturns) }
            }
            generator.next()
            for asset in 0..<assets {
                logPrices[asset] += generator.returns[asset]
                estimator.record(asset: asset, timestamp: time + Int64(asset), price: 100 * exp(logPrices[asset]))
            }
            time += interval
        }
        var accuracy: [String] = []
        for (index, model) in models.enumerated() {
            var worst = 0.0
            var squares = 0.0
            var pairs = 0.0
            for i in 0..<assets {
                for j in 0..<i {
                    let error = abs(model.correlation(i, j) - estimator.rawCorrelation(i, j))
                    worst = max(worst, error)
                    squares += error * error
                    pairs += 1
                }
            }
            accuracy.append(String(format: "{\"factors\": %d, \"maxAbsError\": %.4f, \"rmsAbsError\": %.4f}",
                                   factorCounts[index], worst, (squares / pairs).squareRoot()))
        }
        let essNoise = 0.4 * ((1 - estimation.decay) / (1 + estimation.decay)).squareRoot()
        return "{\"kind\": \"full\", \"assets\": \(assets), \"steps\": \(cpu.count), "
            + "\"step\": \(Summary(cpu).json), \"pairSumBytes\": \(8 * assets * (assets + 1) / 2), "
            + "\"correlationError\": [\(accuracy.joined(separator: ", "))], "
            + String(format: "\"idiosyncraticNoiseRMS\": %.4f}", essNoise)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// r = B f + ε with 8 factors (volatilities 1e-3 … 1.5e-4 per step, the first a market factor every asset loads
/// on between 0.6 and 1.4) and idiosyncratic noise making 40 % of each asset's variance.
struct FactorReturns {
    static let factorVolatilities = [1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15].map { $0 * 1e-3 }
    let assets: Int
    var loadings: [Double]
    var idiosyncratic: [Double]
    var random: SplitMix64
    var factorReturns: [Double]
    var returns: [Double]

    init(assets: Int, seed: UInt64) {
        self.assets = assets
        random = SplitMix64(seed: seed)
        let factors = Self.factorVolatilities.count
        loadings = Array(repeating: 0, count: assets * factors)
        idiosyncratic = Array(repeating: 0, count: assets)
        for asset in 0..<assets {
            var common = 0.0
            for factor in 0..<factors {
                let loading = factor == 0 ? 0.6 + 0.8 * Double(random.next() >> 11) / 0x1p53 : random.nextGaussian()
                loadings[asset * factors + factor] = loading
                common += loading * loading * Self.factorVolatilities[factor] * Self.factorVolatilities[factor]
            }
            idiosyncratic[asset] = (common * 0.4 / 0.6).squareRoot()
        }
        factorReturns = Array(repeating: 0, count: factors)
        returns = Array(repeating: 0, count: assets)
    }

    mutating func next() {
        let factors = factorReturns.count
        for factor in 0..<factors { factorReturns[factor] = Self.factorVolatilities[factor] * random.nextGaussian() }
        for asset in 0..<assets {
            var value = idiosyncratic[asset] * random.nextGaussian()
            for factor in 0..<factors { value += loadings[asset * factors + factor] * factorReturns[factor] }
            returns[asset] = value
        }
    }
}

/// Mean and quantiles of CPU times (ns), as JSON in µs.
struct Summary {
    let values: [Int64]
    init(_ values: [Int64]) { self.values = values }

    var json: String {
        guard !values.isEmpty else { return "{}" }
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            Double(sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]) / 1e3
        }
        let mean = Double(values.reduce(0, +)) / Double(values.count) / 1e3
        return String(format: "{\"meanUs\": %.1f, \"p50Us\": %.1f, \"p99Us\": %.1f, \"maxUs\": %.1f}", mean,
                      quantile(0.5), quantile(0.99), Double(sorted[sorted.count - 1]) / 1e3)
    }
}

enum Clock {
    /// CPU time of the calling thread, ns.
    static var thread: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// VmRSS of this process, bytes.
    static var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
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
