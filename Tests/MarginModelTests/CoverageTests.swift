import Foundation
import FulcrumSettings
import FulcrumTestSupport
import Testing
@testable import MarginModel

@Suite("Coverage tracking")
struct CoverageTests {
    @Test("Horizons do not overlap: one opens at an eligible step and closes at the first step H later")
    func schedule() {
        var tracker = CoverageTracker(horizonNs: 3, tailProbability: 0.01, window: 250)
        // Steps 0–1 are not eligible (warming); horizons then run 2→5, 5→8 (close and reopen on one step).
        let prices: [Double] = [100, 101, 100, 99, 98, 96, 97, 98, 101]
        var completed: [CoverageObservation] = []
        for (time, price) in prices.enumerated() {
            if let observation = tracker.step(timeNs: Int64(time), price: price, maintenanceMargin: 0.03,
                                              initialMargin: 0.05, eligible: time >= 2) {
                completed.append(observation)
            }
        }
        #expect(completed.map(\.startNs) == [2, 5])
        #expect(completed.map(\.endNs) == [5, 8])
        // 100 → 96 is a 4 % fall: a long loses more than its 3 % margin; 96 → 101 a 5.2 % rise: a short does,
        // and that move also exceeds the 5 % initial margin.
        #expect(completed.map(\.longException) == [true, false])
        #expect(completed.map(\.shortException) == [false, true])
        #expect(completed.map(\.initialException) == [false, true])
        #expect(tracker.total.observations == 2 && tracker.total.exceptions == 2)
        #expect(tracker.long.exceptions == 1 && tracker.short.exceptions == 1)
        #expect(tracker.initialExceptions == 1)
        #expect(tracker.twoSidedTargetRate == 0.02)
    }

    @Test("An exception is the model's: loss beyond MMF less the liquidation cost, per side and per side fraction")
    func modelDefinition() {
        var tracker = CoverageTracker(horizonNs: 1, tailProbability: 0.01, window: 250)
        // MMF 3 % of which 1 % is liquidation cost: 2 % is left to absorb the move. Long fraction 3 %, short 2.5 %.
        func horizon(_ start: Int64, to end: Double) -> CoverageObservation? {
            _ = tracker.step(timeNs: 2 * start, price: 100, maintenanceMargin: 0.03, initialMargin: 0.05,
                             eligible: true, liquidationCost: 0.01, longMaintenance: 0.03, shortMaintenance: 0.025)
            return tracker.step(timeNs: 2 * start + 1, price: end, maintenanceMargin: 0.03, initialMargin: 0.05,
                                eligible: false, liquidationCost: 0.01, longMaintenance: 0.03,
                                shortMaintenance: 0.025)
        }
        // A 2.5 % fall: beyond MMF − c = 2 % although inside MMF = 3 % — the report used to miss it.
        let fall = horizon(0, to: 97.5)
        #expect(fall?.longException == true && fall?.shortException == false)
        #expect(fall?.longSideException == true)
        // A 1.8 % rise: inside the published MMF − c = 2 %, beyond the short fraction's MMF_short − c = 1.5 %.
        let rise = horizon(1, to: 101.8)
        #expect(rise?.shortException == false && rise?.shortSideException == true)
        // A 1 % rise: covered on every count.
        let calm = horizon(2, to: 101)
        #expect(calm?.isException == false && calm?.shortSideException == false && calm?.longSideException == false)
        #expect(tracker.long.exceptions == 1 && tracker.short.exceptions == 0)
        #expect(tracker.longSide.exceptions == 1 && tracker.shortSide.exceptions == 1)
        #expect(tracker.longBinding == 3, "MMF_long ≥ MMF_short at every start")
        // The required multiples: (loss + c)/MMF.
        #expect(fall?.longRequiredMultiple.isApproximatelyEqual(to: (0.025 + 0.01) / 0.03, relativeTolerance: 1e-12)
            == true)
    }

    @Test("A tracker written before side fractions were tracked decodes with them empty and resumes")
    func decodesOlderState() throws {
        var tracker = CoverageTracker(horizonNs: 1, tailProbability: 0.01, window: 5)
        _ = tracker.step(timeNs: 0, price: 100, maintenanceMargin: 0.03, initialMargin: 0.05, eligible: true)
        let data = try JSONEncoder().encode(tracker)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["longSide", "shortSide", "longBinding", "startCost", "startLong", "startShort"] {
            object.removeValue(forKey: key)
        }
        var decoded = try JSONDecoder().decode(CoverageTracker.self,
                                               from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded == tracker)
        let observation = decoded.step(timeNs: 1, price: 96, maintenanceMargin: 0.03, initialMargin: 0.05,
                                       eligible: false)
        #expect(observation?.longSideException == true && decoded.longSide.exceptions == 1)
    }

    @Test("A gap closes the horizon at the first step past start + H; no price, no close")
    func gaps() {
        var tracker = CoverageTracker(horizonNs: 10, tailProbability: 0.01, window: 10)
        #expect(tracker.step(timeNs: 0, price: 100, maintenanceMargin: 0.1, initialMargin: 0.2, eligible: true) == nil)
        #expect(tracker.step(timeNs: 9, price: 50, maintenanceMargin: 0.1, initialMargin: 0.2, eligible: true) == nil)
        #expect(tracker.step(timeNs: 12, price: .nan, maintenanceMargin: 0.1, initialMargin: 0.2,
                             eligible: true) == nil)
        let observation = tracker.step(timeNs: 25, price: 95, maintenanceMargin: 0.1, initialMargin: 0.2,
                                       eligible: true)
        #expect(observation?.startNs == 0 && observation?.endNs == 25)
        #expect(observation?.isException == false)
    }

    @Test("The rolling window counts the last n observations exactly (against a brute-force recount)")
    func rollingWindow() {
        var window = RollingCoverage(capacity: 37, targetRate: 0.05)
        var history: [Bool] = []
        var random = SplitMix64(seed: 11)
        for _ in 0..<1_000 {
            let exception = random.nextHalfOpenUnit() < 0.08
            history.append(exception)
            window.record(exception: exception)
            let recent = history.suffix(37)
            #expect(window.observations == recent.count)
            #expect(window.exceptions == recent.filter { $0 }.count)
        }
    }

    @Test("Kupiec's worked examples through the rolling window: n=30, x=7, p=1 % → 32.34; n=60, x=4, p=5 % → 0.319",
          arguments: [(30, 7, 0.01, 32.34), (60, 4, 0.05, 0.319)])
    func kupiecExamples(observations: Int, exceptions: Int, target: Double, expected: Double) {
        var window = RollingCoverage(capacity: observations, targetRate: target)
        for index in 0..<observations { window.record(exception: index < exceptions) }
        #expect(window.kupiec.statistic.isApproximatelyEqual(to: expected, relativeTolerance: 2e-3))
        #expect(window.exceptionRate.isApproximatelyEqual(to: Double(exceptions) / Double(observations),
                                                          relativeTolerance: 1e-15))
    }

    @Test("Basel traffic light over 250 two-sided horizons at ε = 0.5 % per side (2ε = 1 %)",
          arguments: [(4, TrafficLightZone.green), (5, .yellow), (9, .yellow), (10, .red)])
    func trafficLight(exceptions: Int, zone: TrafficLightZone) {
        var tracker = CoverageTracker(horizonNs: 1, tailProbability: 0.005, window: 250)
        for horizon in 0..<250 {
            // Every horizon starts at 100; the first `exceptions` end 10 % lower, beyond the 5 % margin.
            let start = Int64(2 * horizon)
            _ = tracker.step(timeNs: start, price: 100, maintenanceMargin: 0.05, initialMargin: 0.1, eligible: true)
            _ = tracker.step(timeNs: start + 1, price: horizon < exceptions ? 90 : 100, maintenanceMargin: 0.05,
                             initialMargin: 0.1, eligible: false)
        }
        #expect(tracker.rolling.observations == 250)
        #expect(tracker.rolling.exceptions == exceptions)
        #expect(tracker.rolling.zone == zone)
        #expect(tracker.total.trafficLight == zone)
    }

    @Test("Portfolio loss is −Σ wᵢ·(Pᵢ,end/Pᵢ,start − 1) over gross notional, one-sided against its margin")
    func portfolio() {
        let definition = PortfolioDefinition(name: "pair", positions: ["B": -50, "A": 100])
        var tracker = PortfolioCoverageTracker(definition: definition, horizonNs: 1, tailProbability: 0.01,
                                               window: 10)
        #expect(tracker.symbols == ["A", "B"] && tracker.grossNotional == 150)
        #expect(!tracker.isResolved)
        tracker.resolve(symbol: "A", asset: 3)
        tracker.resolve(symbol: "B", asset: 0)
        #expect(tracker.assets == [3, 0])
        #expect(tracker.step(timeNs: 0, prices: [100, 200], margin: 0.08) == nil)
        // A falls 10 %, B rises 10 %: P&L = 100·(−0.1) − 50·0.1 = −15, a loss of 15/150 = 10 % > 8 %.
        let first = tracker.step(timeNs: 1, prices: [90, 220], margin: 0.08)
        #expect(first?.loss.isApproximatelyEqual(to: 0.1, relativeTolerance: 1e-12) == true)
        #expect(first?.isException == true)
        // A rises 10 % and B falls 10 %: a gain, never an exception.
        let second = tracker.step(timeNs: 2, prices: [99, 198], margin: 0.08)
        #expect(second?.loss.isApproximatelyEqual(to: -0.1, relativeTolerance: 1e-12) == true)
        #expect(second?.isException == false)
        #expect(tracker.statistics.observations == 2 && tracker.statistics.exceptions == 1)
    }

    /// A ledger of assets A and B (horizon 3 steps, ε = 1 %) and portfolio "pair", windows of `window` horizons.
    static func ledger(window: Int = 20) -> CoverageLedger {
        var configuration = CoverageConfiguration()
        configuration.window = window
        configuration.portfolios = [PortfolioDefinition(name: "pair", positions: ["A": 100, "B": -50])]
        var ledger = CoverageLedger(configuration: configuration, portfolioHorizonNs: 3, portfolioTailProbability: 0.01)
        ledger.addAsset(symbol: "A", horizonNs: 3, tailProbability: 0.01)
        ledger.addAsset(symbol: "B", horizonNs: 3, tailProbability: 0.01)
        return ledger
    }

    /// Steps `range` of a deterministic two-asset stream (3 % moves against 2 % margins, so exceptions occur).
    static func feed(_ ledger: inout CoverageLedger, steps range: Range<Int>) {
        var random = SplitMix64(seed: 77)
        var prices = [100.0, 40.0]
        for step in 0..<range.upperBound {
            for asset in 0..<2 { prices[asset] *= 1 + (random.nextHalfOpenUnit() - 0.5) * 0.06 }
            let widening = random.nextHalfOpenUnit() < 0.3 ? 1.25 : 1
            guard range.contains(step) else { continue }
            for asset in 0..<2 {
                var parameters = AssetParameters.placeholder
                parameters.status = step % 11 == 0 ? .warming : .ready
                parameters.published = MarginLevels(initialMarginFraction: 0.04, maintenanceMarginFraction: 0.02,
                                                    maxLeverage: 25)
                ledger.observe(asset: asset, timeNs: Int64(step), price: prices[asset], sigmaAnnual: 0.5,
                               parameters: parameters, widening: widening)
            }
            let margin = PortfolioMarginResult(margin: 2.5, standaloneSum: 3, credit: 0.5, uncappedCredit: 0.5,
                                               creditCapped: false, diversifiedRisk: 2, undiversifiedRisk: 3,
                                               pairsWithoutCredit: 0, invalidInput: false)
            ledger.observePortfolio(0, timeNs: Int64(step), prices: prices, margin: margin)
        }
    }

    @Test("A checkpointed ledger continues exactly: open horizons, rolling windows, portfolios, widening")
    func ledgerCheckpoint() throws {
        var reference = Self.ledger()
        Self.feed(&reference, steps: 0..<300)
        var first = Self.ledger()
        Self.feed(&first, steps: 0..<151)
        let data = try JSONEncoder().encode(first.checkpoint)
        var resumed = Self.ledger()
        #expect(try resumed.restore(try JSONDecoder().decode(CoverageLedger.Checkpoint.self, from: data)) == 0)
        #expect(resumed.checkpoint == first.checkpoint)
        Self.feed(&resumed, steps: 151..<300)
        #expect(resumed.checkpoint == reference.checkpoint)
        #expect(resumed.isWidened(asset: 0) == reference.isWidened(asset: 0))
        // The stream has exceptions in the window, so a restart from zero would be visible.
        #expect(reference.trackers[0].rolling.exceptions > 0 && reference.portfolios[0].rolling.exceptions > 0)
        #expect(reference.trackers[0].rolling.observations == 20)
    }

    @Test("Restoring: changed settings restart that tracker; other assets or a torn window are refused")
    func ledgerCheckpointRefusals() throws {
        var first = Self.ledger()
        Self.feed(&first, steps: 0..<100)
        var wider = Self.ledger(window: 40)
        #expect(try wider.restore(first.checkpoint) == 3)
        #expect(wider.trackers[0].rolling.observations == 0 && wider.portfolios[0].statistics.observations == 0)

        var other = CoverageLedger(configuration: CoverageConfiguration(), portfolioHorizonNs: 3,
                                   portfolioTailProbability: 0.01)
        other.addAsset(symbol: "B", horizonNs: 3, tailProbability: 0.01)
        other.addAsset(symbol: "A", horizonNs: 3, tailProbability: 0.01)
        let error = #expect(throws: MarginModelError.self) { try other.restore(first.checkpoint) }
        #expect(error?.code == .incompatibleState)

        let json = try JSONEncoder().encode(first.trackers[0].rolling)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["exceptions"] = (object["exceptions"] as? Int ?? 0) + 1
        let torn = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: MarginModelError.self) { _ = try JSONDecoder().decode(RollingCoverage.self, from: torn) }
        #expect(try JSONDecoder().decode(RollingCoverage.self, from: json) == first.trackers[0].rolling)
    }

    @Test("Procyclicality: largest rise of the margin in force over the window, absolute and relative")
    func procyclicality() {
        let times: [Int64] = [0, 1, 2, 3, 4, 5, 6]
        let values = [0.02, 0.02, 0.03, 0.03, 0.05, 0.04, 0.06]
        let one = ProcyclicalityMeasure(times: times, values: values, windowNs: 1) { _ in true }
        // One step: +0.01 (+50 %) at t = 2, +0.02 (+66.7 %) at t = 4, +0.02 (+50 %) at t = 6.
        #expect(one.largestIncrease?.isApproximatelyEqual(to: 0.02, relativeTolerance: 1e-12) == true)
        #expect(one.largestRelativeIncrease?.isApproximatelyEqual(to: 2.0 / 3, relativeTolerance: 1e-12) == true)
        #expect(one.relativeIncreaseEndNs == 4)
        let three = ProcyclicalityMeasure(times: times, values: values, windowNs: 3) { _ in true }
        // 0.02 at t = 1 → 0.05 at t = 4: +0.03, +150 %.
        #expect(three.largestIncrease?.isApproximatelyEqual(to: 0.03, relativeTolerance: 1e-12) == true)
        #expect(three.largestRelativeIncrease?.isApproximatelyEqual(to: 1.5, relativeTolerance: 1e-12) == true)
        let unscored = ProcyclicalityMeasure(times: times, values: values, windowNs: 1) { $0 < 2 }
        #expect(unscored.largestIncrease == 0 && unscored.largestRelativeIncrease == 0)
        let none = ProcyclicalityMeasure(times: times, values: values, windowNs: 10) { _ in true }
        #expect(none.largestIncrease == nil)
    }

    @Test("Widening multipliers by zone, and configuration errors that name the key")
    func configuration() throws {
        var widening = CoverageWidening()
        #expect(widening.multiplier(for: .red) == 1)
        widening.enabled = true
        #expect(widening.multiplier(for: .green) == 1)
        #expect(widening.multiplier(for: .yellow) == 1.25 && widening.multiplier(for: .red) == 1.5)
        var configuration = CoverageConfiguration()
        try configuration.validate()
        configuration.window = 0
        let window = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(window?.key == "coverage.window" && window?.value == "0" && window?.allowed == "1 … 100000")
        configuration.window = 250
        configuration.widening.yellowMultiplier = 2
        #expect((#expect(throws: ConfigurationError.self) { try configuration.validate() })?.key
                == "coverage.widening.yellowMultiplier")
        configuration.widening = CoverageWidening()
        configuration.portfolios = [PortfolioDefinition(name: "p", positions: ["A": 0])]
        #expect((#expect(throws: ConfigurationError.self) { try configuration.validate() })?.key
                == "coverage.portfolios[0].positions.A")
    }
}
