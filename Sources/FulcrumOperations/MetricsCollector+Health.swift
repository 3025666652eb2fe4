import FulcrumProtocol
import Metrics

extension MetricsCollector {
    /// Protocol health as metrics: the figures of the latest `ProtocolHealth` message as gauges (``MetricsName``'s
    /// `fulcrum.health.*`), per market for the first `symbolLimit` markets in the message's order, and the position
    /// feed's counters as counters advancing by what they moved since the last refresh.
    ///
    /// Created on the first refresh that sees a message, so a process that has not computed one yet exports none
    /// of these gauges (rather than zeros that read as "no bad debt"). The position feed's counters are kept apart
    /// (``PositionFeedMetrics``): they count from the start, message or not.
    struct HealthMetrics {
        /// The gauges of one market.
        struct Market {
            let long: Gauge
            let short: Gauge
            let liquidatable: Gauge
            let tailBadDebt: Gauge
            let withinSigma: [Gauge]

            init(symbol: String, factory: any MetricsFactory) {
                let dimensions = [("symbol", symbol)]
                func gauge(_ label: String, _ extra: [(String, String)] = []) -> Gauge {
                    Gauge(label: label, dimensions: dimensions + extra, factory: factory)
                }
                long = gauge(MetricsName.healthMarketNotional, [("side", "long")])
                short = gauge(MetricsName.healthMarketNotional, [("side", "short")])
                liquidatable = gauge(MetricsName.healthMarketLiquidatable)
                tailBadDebt = gauge(MetricsName.healthMarketTailBadDebt)
                withinSigma = (1...3).map { gauge(MetricsName.healthMarketWithinSigma, [("sigma", "\($0)")]) }
            }

            func record(_ market: Fulcrum_V1_MarketHealth) {
                long.record(market.longNotional)
                short.record(market.shortNotional)
                liquidatable.record(market.liquidatableNotional)
                tailBadDebt.record(market.tailBadDebt)
                for (gauge, value) in zip(withinSigma, market.notionalWithinSigma) { gauge.record(value) }
            }
        }

        let factory: any MetricsFactory
        let symbolLimit: Int
        let asOf: Gauge
        let age: Gauge
        let badDebtAtRisk: Gauge
        let expectedShortfall: Gauge
        let meanBadDebt: Gauge
        let liquidationsAtRisk: Gauge
        let insuranceFund: Gauge
        let coverageRatio: Gauge
        let confidence: Gauge
        let deepestCascade: Gauge
        let scenarios: Gauge
        let unconverged: Gauge
        let units: Gauge
        let liquidatableUnits: Gauge
        let positions: Gauge
        let equity: Gauge
        let maintenance: Gauge
        let computeSeconds: Gauge
        var markets: [String: Market] = [:]

        init(factory: any MetricsFactory, symbolLimit: Int) {
            self.factory = factory
            self.symbolLimit = symbolLimit
            func gauge(_ label: String) -> Gauge { Gauge(label: label, factory: factory) }
            asOf = gauge(MetricsName.healthAsOf)
            age = gauge(MetricsName.healthAge)
            badDebtAtRisk = gauge(MetricsName.healthBadDebtAtRisk)
            expectedShortfall = gauge(MetricsName.healthBadDebtExpectedShortfall)
            meanBadDebt = gauge(MetricsName.healthMeanBadDebt)
            liquidationsAtRisk = gauge(MetricsName.healthLiquidationsAtRisk)
            insuranceFund = gauge(MetricsName.healthInsuranceFund)
            coverageRatio = gauge(MetricsName.healthCoverageRatio)
            confidence = gauge(MetricsName.healthConfidence)
            deepestCascade = gauge(MetricsName.healthDeepestCascade)
            scenarios = gauge(MetricsName.healthScenarios)
            unconverged = gauge(MetricsName.healthUnconverged)
            units = gauge(MetricsName.healthUnits)
            liquidatableUnits = gauge(MetricsName.healthLiquidatableUnits)
            positions = gauge(MetricsName.healthPositions)
            equity = gauge(MetricsName.healthEquity)
            maintenance = gauge(MetricsName.healthMaintenance)
            computeSeconds = gauge(MetricsName.healthComputeSeconds)
        }

        /// Records `message`; `lastBoundary` is the engine's last closed grid boundary (ns), for the age.
        mutating func update(_ message: Fulcrum_V1_ProtocolHealth, lastBoundary: Int64?) {
            asOf.record(Double(message.asOfNs) / 1e9)
            if let lastBoundary { age.record(Double(max(lastBoundary - message.asOfNs, 0)) / 1e9) }
            badDebtAtRisk.record(message.badDebtAtRisk)
            expectedShortfall.record(message.badDebtExpectedShortfall)
            meanBadDebt.record(message.meanBadDebt)
            liquidationsAtRisk.record(message.liquidationsAtRisk)
            insuranceFund.record(message.insuranceFund)
            coverageRatio.record(message.coverageRatio)
            confidence.record(message.confidence)
            deepestCascade.record(Double(message.deepestCascade))
            scenarios.record(Double(message.scenarios))
            unconverged.record(Double(message.unconverged))
            units.record(Double(message.units))
            liquidatableUnits.record(Double(message.liquidatableUnits))
            positions.record(Double(message.positions))
            equity.record(message.equity)
            maintenance.record(message.maintenance)
            computeSeconds.record(Double(message.computeNs) / 1e9)
            for market in message.markets.prefix(symbolLimit) {
                let metrics = markets[market.symbol] ?? Market(symbol: market.symbol, factory: factory)
                markets[market.symbol] = metrics
                metrics.record(market)
            }
        }
    }

    /// The position feed's counters: `fulcrum.positions.*`, advanced by difference like the tick counters. Resync
    /// reasons and malformed-frame kinds get a series when first seen (`update` and `snapshot` exist from zero).
    struct PositionFeedMetrics {
        let factory: any MetricsFactory
        let applied: Counter
        let ignored: Counter
        let snapshots: Counter
        let refused: Counter
        var resyncs: [String: Counter] = [:]
        var malformed: [String: Counter] = [:]
        var seen = HealthObservation.PositionFeed()

        init(factory: any MetricsFactory) {
            self.factory = factory
            applied = Counter(label: MetricsName.positionUpdates, dimensions: [("result", "applied")], factory: factory)
            ignored = Counter(label: MetricsName.positionUpdates, dimensions: [("result", "ignored")], factory: factory)
            snapshots = Counter(label: MetricsName.positionSnapshots, factory: factory)
            refused = Counter(label: MetricsName.positionChangesRefused, factory: factory)
            for kind in ["update", "snapshot"] {
                malformed[kind] = Counter(label: MetricsName.positionFramesMalformed, dimensions: [("kind", kind)],
                                          factory: factory)
            }
        }

        mutating func update(_ counters: HealthObservation.PositionFeed) {
            _ = State.advance(applied, from: &seen.updatesApplied, to: counters.updatesApplied)
            _ = State.advance(ignored, from: &seen.updatesIgnored, to: counters.updatesIgnored)
            _ = State.advance(snapshots, from: &seen.snapshotsApplied, to: counters.snapshotsApplied)
            _ = State.advance(refused, from: &seen.changesRefused, to: counters.changesRefused)
            for (reason, count) in counters.resyncs.sorted(by: { $0.key < $1.key }) {
                let counter = resyncs[reason] ?? Counter(label: MetricsName.positionResyncs,
                                                         dimensions: [("reason", reason)], factory: factory)
                resyncs[reason] = counter
                _ = State.advance(counter, from: &seen.resyncs[reason, default: 0], to: count)
            }
            for (kind, count) in counters.malformedFrames.sorted(by: { $0.key < $1.key }) {
                let counter = malformed[kind] ?? Counter(label: MetricsName.positionFramesMalformed,
                                                         dimensions: [("kind", kind)], factory: factory)
                malformed[kind] = counter
                _ = State.advance(counter, from: &seen.malformedFrames[kind, default: 0], to: count)
            }
        }
    }
}
