import Foundation
import HealthWorkload
import ProtocolHealth

/// Protocol health at scale: a book of `--positions` positions over `--markets` markets (HealthWorkload), its
/// aggregates (`HealthEvaluator.evaluate`, one grid step's pass) and `--scenarios` FHS stress cascades
/// (`LiquidationCascade` + `StressReport`), each beside baselines measured in the same run:
/// - **before**: the code before the flat market arrays and the per-market screen (`BaselineHealth.swift`), whose
///   figures the new code must equal bit for bit (checked here on the whole book: aggregates, and every field of
///   the first `--baseline-scenarios` cascades);
/// - **stream**: the least any aggregate pass can do, one read of every position in unit order summing |q|·P per
///   market (memory bandwidth and the layout's indirection, no health arithmetic).
///
/// Times are the calling thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`), with the wall clock beside them; memory
/// is the process's resident set (`VmRSS`) around building the book, and its peak (`VmHWM`) at the end.
///
///     fulcrum-health-bench [--positions N] [--markets M] [--scenarios S] [--iterations K] [--repeats R]
///                          [--baseline-scenarios B] [--baseline-iterations J] [--depth-share-bp D] [--threads T]
///
/// The stress runs twice: on the calling thread alone (`stress`, its thread CPU time) and on `--threads` threads
/// (`stressParallel`, default the active processor count; the process's CPU time and the wall clock), the two
/// reports checked equal bit for bit (`parallelIdentical`). `lossesDigest` hashes every per-scenario figure's bit
/// pattern, so that runs of different builds can be compared.
///
/// `--depth-share-bp 100` gives each market books whose depth a side is 1 % of its open interest (HealthWorkload);
/// the default keeps the fixed books of the micro-benchmark.
@main
struct HealthBench {
    static func main() throws {
        var options = ["--positions": 1_000_000, "--markets": 100, "--scenarios": 1_000, "--iterations": 20,
                       "--repeats": 3, "--baseline-scenarios": 20, "--baseline-iterations": 3,
                       "--depth-share-bp": 0, "--threads": 0]
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            guard options[argument] != nil, let value = arguments.next().flatMap(Int.init) else {
                throw BenchError("unknown option \(argument) or no integer value; options: "
                                 + options.keys.sorted().joined(separator: " "))
            }
            options[argument] = value
        }
        let positions = options["--positions"]!, marketCount = options["--markets"]!
        let scenarioCount = options["--scenarios"]!
        var report: [String: Any] = ["positions": positions, "markets": marketCount, "scenarios": scenarioCount,
                                     "loadBefore": loadAverage()]

        let rssBefore = Memory.residentMB
        let built = Timer()
        let depthShare = options["--depth-share-bp"]! > 0 ? Double(options["--depth-share-bp"]!) / 10_000 : nil
        report["depthShare"] = depthShare ?? 0
        let workload = try HealthWorkload(positions: positions, markets: marketCount, depthShare: depthShare)
        report["buildSeconds"] = built.wallSeconds
        let rssBook = Memory.residentMB - rssBefore
        report["bookRSSMB"] = rssBook
        report["units"] = workload.book.unitCount
        report["bytesPerPosition"] = rssBook * 1_048_576 / Double(workload.book.positionCount)
        report["declaredBytesPerPosition"] = PositionBook.bytesPerPosition
        let book = workload.book, layout = workload.layout, markets = workload.markets

        // Aggregates.
        var summary = HealthEvaluator.evaluate(book: book, layout: layout, markets: markets)
        let aggregates = measure(options["--iterations"]!) {
            summary = HealthEvaluator.evaluate(book: book, layout: layout, markets: markets)
        }
        var before = BaselineHealth.evaluate(book: book, layout: layout, markets: markets)
        let aggregatesBefore = measure(options["--baseline-iterations"]!) {
            before = BaselineHealth.evaluate(book: book, layout: layout, markets: markets)
        }
        var streamed = [Double](repeating: 0, count: marketCount)
        let stream = measure(options["--iterations"]!) { streamed = Self.stream(book, layout, markets) }
        report["aggregates"] = aggregates.json
        report["aggregatesBefore"] = aggregatesBefore.json
        report["aggregatesStream"] = stream.json
        report["aggregatesSpeedup"] = aggregatesBefore.cpuMean / aggregates.cpuMean
        report["aggregatesOverStream"] = aggregates.cpuMean / stream.cpuMean
        report["aggregatesIdentical"] = identical(summary, before)
        report["liquidatableUnits"] = summary.liquidatableUnits
        _ = streamed

        // Stress: preparing the cascade (once per grid step), then the scenarios.
        let scenarios = try workload.scenarios(count: scenarioCount, seed: 7)
        var cascade = try LiquidationCascade(book: book, markets: markets)
        let prepare = try measureThrowing(options["--repeats"]!) {
            cascade = try LiquidationCascade(book: book, markets: markets)
        }
        var stress: StressReport?
        let stressTime = try measureThrowing(options["--repeats"]!) {
            stress = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1e7, threads: 1)
        }
        let threads = options["--threads"]! > 0 ? options["--threads"]! : StressReport.defaultThreads
        var parallel: StressReport?
        let parallelTime = try measureThrowing(options["--repeats"]!, clock: CLOCK_PROCESS_CPUTIME_ID) {
            parallel = try StressReport(cascade: cascade, scenarios: scenarios, insuranceFund: 1e7, threads: threads)
        }
        report["cascadePrepare"] = prepare.json
        report["stress"] = stressTime.json
        report["stressThreads"] = threads
        report["stressParallel"] = parallelTime.json
        report["parallelWallSpeedup"] = stressTime.wallMean / parallelTime.wallMean
        report["stressWithPrepareCPUSeconds"] = prepare.cpuMean + stressTime.cpuMean
        if let stress, let parallel {
            report["badDebtAtRisk"] = stress.badDebtAtRisk
            report["liquidationsAtRisk"] = stress.liquidationsAtRisk
            report["deepestCascade"] = stress.deepestCascade
            report["lossesDigest"] = String(Self.digest(stress.losses), radix: 16)
            report["parallelIdentical"] = Self.digest(stress.losses) == Self.digest(parallel.losses)
                && stress == parallel
        }
        // Work per scenario: units valued, rounds, liquidations (new code, every scenario).
        var valued = 0, rounds = 0, liquidated = 0
        for shocks in scenarios {
            let outcome = try cascade.run(shocks: shocks)
            valued += outcome.unitsValued
            rounds += outcome.rounds
            liquidated += outcome.liquidatedUnits
        }
        report["unitsValuedPerScenario"] = Double(valued) / Double(scenarioCount)
        report["roundsPerScenario"] = Double(rounds) / Double(scenarioCount)
        report["liquidatedPerScenario"] = Double(liquidated) / Double(scenarioCount)

        // The baseline on the first scenarios, each outcome compared field by field.
        let sample = Array(scenarios.prefix(options["--baseline-scenarios"]!))
        var baseline = BaselineCascade(book: book, markets: markets)
        let prepareBefore = measure(1) { baseline = BaselineCascade(book: book, markets: markets) }
        var outcomesBefore: [BaselineCascade.Outcome] = []
        let stressBefore = measure(1) { outcomesBefore = sample.map { baseline.run(shocks: $0) } }
        var outcomesAfter: [CascadeOutcome] = []
        let stressAfter = try measureThrowing(1) { outcomesAfter = try sample.map { try cascade.run(shocks: $0) } }
        report["cascadePrepareBefore"] = prepareBefore.json
        report["sampleScenarios"] = sample.count
        report["sampleBefore"] = stressBefore.json
        report["sampleAfter"] = stressAfter.json
        report["perScenarioSpeedup"] = stressBefore.cpuMean / stressAfter.cpuMean
        report["unitsValuedPerScenarioBefore"] = Double(outcomesBefore.map(\.unitsValued).reduce(0, +))
            / Double(max(1, sample.count))
        report["cascadesIdentical"] = zip(outcomesBefore, outcomesAfter).allSatisfy(identical)
        report["peakRSSMB"] = Memory.peakMB
        report["loadAfter"] = loadAverage()
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// FNV-1a over every per-scenario figure's bit pattern.
    static func digest(_ losses: StressLosses) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt64) {
            for byte in 0..<8 {
                hash ^= (value >> (8 * UInt64(byte))) & 0xFF
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        for value in losses.badDebt + losses.liquidatedNotional { mix(value.bitPattern) }
        for rounds in losses.rounds { mix(UInt64(rounds)) }
        for scenario in losses.unconverged { mix(UInt64(scenario)) }
        for entry in losses.marketBadDebt {
            mix(UInt64(entry.scenario))
            mix(UInt64(entry.market))
            mix(entry.badDebt.bitPattern)
        }
        return hash
    }

    /// Σ |q|·P per market over every position in unit order: the floor of any aggregate pass.
    static func stream(_ book: PositionBook, _ layout: PositionLayout, _ markets: [MarketConditions]) -> [Double] {
        var totals = [Double](repeating: 0, count: markets.count)
        let prices = markets.map(\.markPrice)
        book.positionSize.withUnsafeBufferPointer { size in
            book.positionMarket.withUnsafeBufferPointer { market in
                layout.positions.withUnsafeBufferPointer { positions in
                    prices.withUnsafeBufferPointer { prices in
                        totals.withUnsafeMutableBufferPointer { totals in
                            for slot in positions {
                                let position = Int(slot)
                                let m = Int(market[position])
                                totals[m] += abs(size[position]) * prices[m]
                            }
                        }
                    }
                }
            }
        }
        return totals
    }

    /// Whether every figure of the new summary equals the baseline's, bit for bit.
    static func identical(_ summary: HealthSummary, _ before: BaselineHealth.Summary) -> Bool {
        guard summary.units == before.units, summary.liquidatableUnits == before.liquidatableUnits,
              summary.equity.bitPattern == before.equity.bitPattern,
              summary.maintenance.bitPattern == before.maintenance.bitPattern,
              summary.topContributors.map(\.unit) == before.topUnits else { return false }
        return zip(summary.markets, before.markets).allSatisfy { new, old in
            same([new.longNotional, new.shortNotional, new.liquidatableNotional] + new.notionalByLeverage
                 + new.notionalWithinSigma,
                 [old.longNotional, old.shortNotional, old.liquidatableNotional] + old.notionalByLeverage
                 + old.notionalWithinSigma)
        }
    }

    static func identical(_ old: BaselineCascade.Outcome, _ new: CascadeOutcome) -> Bool {
        old.rounds == new.rounds && old.converged == new.converged && old.liquidatedUnits == new.liquidatedUnits
            && same([old.liquidatedNotional, old.badDebt, old.feesCollected],
                    [new.liquidatedNotional, new.badDebt, new.feesCollected])
            && same(old.marketNotional, new.markets.map(\.liquidatedNotional))
            && same(old.marketDebt, new.markets.map(\.badDebt))
            && same(old.priceMove, new.markets.map(\.priceMove))
    }

    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
            .joined(separator: " ") ?? ""
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Thread CPU and wall time of `iterations` calls.
struct Timing {
    var cpu: [Double] = []
    var wall: [Double] = []

    var cpuMean: Double { cpu.reduce(0, +) / Double(max(1, cpu.count)) }
    var wallMean: Double { wall.reduce(0, +) / Double(max(1, wall.count)) }
    var json: [String: Any] {
        let sorted = cpu.sorted()
        return ["iterations": cpu.count, "cpuMeanMs": cpuMean * 1e3, "cpuMinMs": (sorted.first ?? 0) * 1e3,
                "cpuMedianMs": (sorted.isEmpty ? 0 : sorted[sorted.count / 2]) * 1e3,
                "wallMeanMs": wall.reduce(0, +) / Double(max(1, wall.count)) * 1e3]
    }
}

func measure(_ iterations: Int, _ body: () -> Void) -> Timing {
    var timing = Timing()
    for _ in 0..<max(1, iterations) {
        let timer = Timer()
        body()
        timing.cpu.append(timer.cpuSeconds)
        timing.wall.append(timer.wallSeconds)
    }
    return timing
}

/// Like ``measure(_:_:)``; `clock` is the CPU clock read (the calling thread's, or the process's for work spread
/// over threads).
func measureThrowing(_ iterations: Int, clock: clockid_t = CLOCK_THREAD_CPUTIME_ID,
                     _ body: () throws -> Void) throws -> Timing {
    var timing = Timing()
    for _ in 0..<max(1, iterations) {
        let timer = Timer(clock: clock)
        try body()
        timing.cpu.append(timer.cpuSeconds)
        timing.wall.append(timer.wallSeconds)
    }
    return timing
}

/// A CPU clock (the calling thread's by default) and the monotonic clock since creation.
struct Timer {
    let clock: clockid_t
    let cpu: Int64
    let wall = Timer.read(CLOCK_MONOTONIC)

    init(clock: clockid_t = CLOCK_THREAD_CPUTIME_ID) {
        self.clock = clock
        cpu = Timer.read(clock)
    }

    var cpuSeconds: Double { Double(Timer.read(clock) - cpu) / 1e9 }
    var wallSeconds: Double { Double(Timer.read(CLOCK_MONOTONIC) - wall) / 1e9 }

    static func read(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }
}

/// This process's resident set now and at its peak (`/proc/self/status`), MB.
enum Memory {
    static var residentMB: Double { read("VmRSS:") }
    static var peakMB: Double { read("VmHWM:") }

    private static func read(_ key: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kilobytes / 1024
    }
}
