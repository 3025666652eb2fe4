import FulcrumProtocol

extension HTTPParametersDocument {
    /// The `health` section: the latest protocol-health message's figures (see protocols/README.md, "Protocol
    /// health"), the position feed's counters and the last hour of the at-risk figures. Absent while no message
    /// was computed (health off, or before its first run).
    ///
    /// Amounts are in the quote currency. A figure that is not finite is `null`: `coverageRatio` is `null` when
    /// there is no bad debt at risk (the message's +∞), a contributor's `marginRatio` when its equity is ≤ 0.
    public struct Health: Sendable, Codable, Hashable {
        /// The grid boundary (event time) of the parameters the message used, ns.
        public var asOfNs: Int64
        /// Event time from `asOfNs` to the engine's last closed boundary, seconds.
        public var ageSeconds: Double?
        /// Margin units (cross accounts, isolated positions) with positions.
        public var units: UInt64
        /// Open positions.
        public var positions: UInt64
        /// Units below maintenance now.
        public var liquidatableUnits: UInt64
        /// Equity summed over units.
        public var equity: Double?
        /// Maintenance margin summed over units.
        public var maintenance: Double?
        /// Stress scenarios run.
        public var scenarios: UInt32
        /// Quantile of the at-risk figures (e.g. 0.99).
        public var confidence: Double?
        /// Bad debt at that quantile over the scenarios (VaR of insolvency).
        public var badDebtAtRisk: Double?
        /// Mean bad debt of the scenarios at or beyond it (expected shortfall).
        public var badDebtExpectedShortfall: Double?
        /// Mean bad debt over all scenarios.
        public var meanBadDebt: Double?
        /// Liquidated notional at the quantile (Liquidations at Risk).
        public var liquidationsAtRisk: Double?
        /// The configured insurance fund.
        public var insuranceFund: Double?
        /// insuranceFund / badDebtAtRisk; `null` without bad debt at risk (infinite).
        public var coverageRatio: Double?
        /// Rounds of the deepest cascade.
        public var deepestCascade: UInt32
        /// Scenarios whose cascade hit the round limit.
        public var unconverged: UInt32
        /// Wall-clock time of the computation, seconds.
        public var computeSeconds: Double
        /// Per market, in the message's order.
        public var markets: [Market]
        /// The largest units near liquidation.
        public var topContributors: [Contributor]
        /// The position feed's counters (`null` with a fixed book).
        public var positionFeed: HealthObservation.PositionFeed?
        /// The last hour of the at-risk figures, oldest first (``HealthHistory``).
        public var history: [HealthHistory.Point]

        /// One market's figures.
        public struct Market: Sendable, Codable, Hashable {
            /// Symbol.
            public var symbol: String
            /// The mark the positions were valued at.
            public var markPrice: Double?
            /// Long open interest, notional at the mark.
            public var longNotional: Double?
            /// Short open interest.
            public var shortNotional: Double?
            /// Open interest held by units below maintenance now.
            public var liquidatableNotional: Double?
            /// Bad debt attributed to the market over the tail scenarios.
            public var tailBadDebt: Double?
            /// Open interest within 1, 2, 3 horizon σ of liquidation.
            public var notionalWithinSigma: [Double?]
            /// Open interest by the holder's leverage: ≤ 2, 5, 10, 20, 50, above (or no equity).
            public var notionalByLeverage: [Double?]
            /// Whether liquidation depth came from the live book (else the fallback curve).
            public var depthFromBook: Bool
            /// The horizon σ of the published parameters.
            public var horizonSigma: Double?
        }

        /// One unit among the largest near liquidation.
        public struct Contributor: Sendable, Codable, Hashable {
            /// Account.
            public var account: UInt64
            /// Notional held.
            public var notional: Double?
            /// Horizon σ to liquidation (negative when liquidatable now).
            public var distanceSigma: Double?
            /// Maintenance / equity (`null` when equity ≤ 0).
            public var marginRatio: Double?
        }

        /// The section for `observation`'s message (`nil` without one); `lastBoundary` is the engine's last
        /// closed boundary, for ``ageSeconds``.
        init?(_ observation: HealthObservation, lastBoundary: Int64?, history: HealthHistory?) {
            guard let message = observation.message else { return nil }
            func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
            asOfNs = message.asOfNs
            ageSeconds = lastBoundary.map { Double(max($0 - message.asOfNs, 0)) / 1e9 }
            units = message.units
            positions = message.positions
            liquidatableUnits = message.liquidatableUnits
            equity = finite(message.equity)
            maintenance = finite(message.maintenance)
            scenarios = message.scenarios
            confidence = finite(message.confidence)
            badDebtAtRisk = finite(message.badDebtAtRisk)
            badDebtExpectedShortfall = finite(message.badDebtExpectedShortfall)
            meanBadDebt = finite(message.meanBadDebt)
            liquidationsAtRisk = finite(message.liquidationsAtRisk)
            insuranceFund = finite(message.insuranceFund)
            coverageRatio = finite(message.coverageRatio)
            deepestCascade = message.deepestCascade
            unconverged = message.unconverged
            computeSeconds = Double(message.computeNs) / 1e9
            markets = message.markets.map { market in
                Market(symbol: market.symbol, markPrice: finite(market.markPrice),
                       longNotional: finite(market.longNotional), shortNotional: finite(market.shortNotional),
                       liquidatableNotional: finite(market.liquidatableNotional),
                       tailBadDebt: finite(market.tailBadDebt),
                       notionalWithinSigma: market.notionalWithinSigma.map(finite),
                       notionalByLeverage: market.notionalByLeverage.map(finite),
                       depthFromBook: market.depthFromBook, horizonSigma: finite(market.horizonSigma))
            }
            topContributors = message.topContributors.map { unit in
                Contributor(account: unit.account, notional: finite(unit.notional),
                            distanceSigma: finite(unit.distanceSigma), marginRatio: finite(unit.marginRatio))
            }
            positionFeed = observation.positionFeed
            self.history = history?.series ?? []
        }
    }
}
