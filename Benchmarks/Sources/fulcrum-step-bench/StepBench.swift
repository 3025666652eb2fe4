import FulcrumEngine
import Foundation
import MarginModel
import MarketData
import RiskEstimation

/// The grid step of the engine in the dense-grid shape: N symbols, one protobuf tick per symbol per 1 s grid step,
/// each price a seeded geometric random walk (4 bp per step) with a traded size, so that ADV tiers form. The tick
/// of asset 0 that opens interval k closes interval k − 1, and its `RiskEngine.ingest` — estimator, every asset's
/// optimizer update, coverage, the encoding of every update and of the portfolio — is what one measurement times;
/// the other ticks are fed unmeasured.
///
/// Times are the calling thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`) around that one call, so that other jobs
/// on a shared machine inflate them much less than wall-clock times; the wall clock is reported beside them.
/// Defaults as the service's, except the periodic refresh, set to one grid step so that every asset is
/// republished at every step (the costliest publishing, the end-to-end harness's setting).
///
/// `--factors K` runs the estimator's factor correlation model with K factors (`CorrelationModel.factors`): no
/// N² sums in the estimator and the portfolio in factor form (N·K loadings) on the wire; 0 (default) is the full
/// matrix.
///
///     fulcrum-step-bench --assets N [--warmup STEPS] [--steps STEPS] [--portfolio-every K] [--factors K]
@main
struct StepBench {
    static func main() throws {
        var assets = 100
        var warmup = 1_200
        var steps = 1_000
        var portfolioEvery = 1
        var factors = 0
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            guard let value = arguments.next().flatMap(Int.init) else {
                throw StepBenchError("\(argument) needs an integer value")
            }
            switch argument {
            case "--assets": assets = value
            case "--warmup": warmup = value
            case "--steps": steps = value
            case "--portfolio-every": portfolioEvery = value
            case "--factors": factors = value
            default: throw StepBenchError("unknown option \(argument)")
            }
        }
        var workload = try StepWorkload(assets: assets, portfolioEverySteps: portfolioEvery, factors: factors)
        let warmupStarted = Clock.thread
        for _ in 0..<warmup { _ = workload.step() }
        let warmupSeconds = Double(Clock.thread - warmupStarted) / 1e9
        var cpu: [Int64] = []
        var wall: [Int64] = []
        cpu.reserveCapacity(steps)
        wall.reserveCapacity(steps)
        var updates = 0
        var bytes = 0
        for _ in 0..<steps {
            let sample = workload.step()
            cpu.append(sample.cpuNs)
            wall.append(sample.wallNs)
            updates += sample.updates
            bytes += sample.bytes
        }
        let report = StepReport(assets: assets, factors: factors,
                                correlationBytes: workload.engine.estimator.correlationMemoryBytes,
                                warmupSteps: warmup, warmupCPUSeconds: warmupSeconds, cpu: cpu,
                                wall: wall, updatesPerStep: Double(updates) / Double(steps),
                                bytesPerStep: Double(bytes) / Double(steps), peakRSSMB: Clock.peakRSSMB)
        print(report.json)
    }
}

struct StepBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One measured step.
struct StepSample {
    var cpuNs: Int64
    var wallNs: Int64
    var updates: Int
    var bytes: Int
}

/// An engine fed the dense-grid shape.
struct StepWorkload {
    var engine: RiskEngine
    let assets: Int
    let interval: Int64
    var time: Int64 = 1_700_000_000_000_000_000
    var logPrices: [Double]
    var random = SplitMix64(seed: 7)
    let topics: [[UInt8]]
    let symbolFields: [[UInt8]]
    var payload: [UInt8] = []

    init(assets: Int, portfolioEverySteps: Int, factors: Int) throws {
        self.assets = assets
        let names = (0..<assets).map { "SYM\($0)" }
        var validation = ValidationConfiguration()
        validation.maximumAge = Int64.max / 4
        validation.maximumFutureSkew = Int64.max / 4
        let ingest = IngestConfiguration(
            feeds: [FeedConfiguration(name: "bench")],
            symbols: SymbolTableConfiguration(allowList: names, maximumDiscovered: 1),
            validation: validation)
        var model = MarginModelConfiguration()
        var estimation = EstimatorConfiguration()
        if factors > 0 {
            estimation.correlationModel = .factors(FactorConfiguration(estimation: estimation, factors: factors))
        }
        interval = estimation.gridInterval
        model.governance.refreshIntervalNs = interval
        engine = try RiskEngine(configuration: EngineConfiguration(
            ingest: ingest, estimation: estimation, model: model, portfolioEverySteps: portfolioEverySteps),
            epoch: 1)
        logPrices = (0..<assets).map { Double($0 % 97) * 0.05 + 2 }
        topics = names.map { Array("tick.BENCH.\($0)".utf8) }
        symbolFields = names.map { name in [2 << 3 | 2, UInt8(name.utf8.count)] + Array(name.utf8) }
    }

    /// Feeds one grid interval: asset 0's tick (timed: it closes the previous interval) and then the others.
    mutating func step() -> StepSample {
        var sample = StepSample(cpuNs: 0, wallNs: 0, updates: 0, bytes: 0)
        for asset in 0..<assets {
            logPrices[asset] += 4e-4 * random.nextGaussian()
            let tickTime = time + Int64(asset) * (interval / Int64(assets))
            encodeTick(asset: asset, price: exp(logPrices[asset]), time: tickTime,
                       size: Double(1 + random.next() % 100))
            let topic = topics[asset]
            if asset == 0 {
                let wallStart = Clock.wall
                let cpuStart = Clock.thread
                var updates = 0
                var bytes = 0
                topic.withUnsafeBytes { first in
                    payload.withUnsafeBytes { second in
                        _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: tickTime) { update in
                            updates += 1
                            bytes += update.payload.count
                        }
                    }
                }
                sample = StepSample(cpuNs: Clock.thread - cpuStart, wallNs: Clock.wall - wallStart,
                                    updates: updates, bytes: bytes)
            } else {
                topic.withUnsafeBytes { first in
                    payload.withUnsafeBytes { second in
                        _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: tickTime) { _ in }
                    }
                }
            }
        }
        time += interval
        return sample
    }

    /// `fulcrum.v1.Tick` with venue, symbol, price, size and exchange time, into the reused `payload`.
    mutating func encodeTick(asset: Int, price: Double, time: Int64, size: Double) {
        payload.removeAll(keepingCapacity: true)
        payload.append(contentsOf: [1 << 3 | 2, 5] + Array("BENCH".utf8))
        payload.append(contentsOf: symbolFields[asset])
        payload.append(3 << 3 | 1)
        withUnsafeBytes(of: price.bitPattern.littleEndian) { payload.append(contentsOf: $0) }
        payload.append(6 << 3 | 1)
        withUnsafeBytes(of: size.bitPattern.littleEndian) { payload.append(contentsOf: $0) }
        payload.append(8 << 3)
        var rest = UInt64(time)
        while rest >= 0x80 {
            payload.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        payload.append(UInt8(rest))
    }
}

/// Mean and quantiles of the measured steps, as one JSON object.
struct StepReport {
    let assets: Int
    let factors: Int
    let correlationBytes: Int
    let warmupSteps: Int
    let warmupCPUSeconds: Double
    let cpu: [Int64]
    let wall: [Int64]
    let updatesPerStep: Double
    let bytesPerStep: Double
    let peakRSSMB: Double

    static func summary(_ values: [Int64]) -> String {
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            Double(sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]) / 1e3
        }
        let mean = Double(values.reduce(0, +)) / Double(values.count) / 1e3
        return String(format: "{\"meanUs\": %.1f, \"p50Us\": %.1f, \"p99Us\": %.1f, \"maxUs\": %.1f}", mean,
                      quantile(0.5), quantile(0.99), Double(sorted[sorted.count - 1]) / 1e3)
    }

    var json: String {
        String(format: "{\"assets\": %d, \"factors\": %d, \"correlationBytes\": %d, \"steps\": %d, ", assets,
               factors, correlationBytes, cpu.count)
            + String(format: "\"warmupSteps\": %d, \"warmupCpuSeconds\": %.2f, ", warmupSteps, warmupCPUSeconds)
            + "\"cpu\": \(Self.summary(cpu)), \"wall\": \(Self.summary(wall)), "
            + String(format: "\"updatesPerStep\": %.1f, \"bytesPerStep\": %.0f, \"peakRssMB\": %.1f}", updatesPerStep,
                     bytesPerStep, peakRSSMB)
    }
}

enum Clock {
    /// CPU time of the calling thread, ns.
    static var thread: Int64 { read(CLOCK_THREAD_CPUTIME_ID) }
    /// Monotonic wall time, ns.
    static var wall: Int64 { read(CLOCK_MONOTONIC) }

    private static func read(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// VmHWM of this process, MB.
    static var peakRSSMB: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kilobytes / 1024
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
