import FulcrumEngine
import FulcrumProtocol
import MarginModel

/// The body of `/parameters`: the engine's current state as JSON, and what the dashboard draws.
///
/// Numbers that are not finite (an asset with no price yet) are `null`. Fractions are plain fractions
/// (0.05 = 5 %), volatility is annualized, times are ns since the Unix epoch unless the key says seconds.
public struct HTTPParametersDocument: Sendable, Codable, Hashable {
    /// One asset's live coverage: its published maintenance margins scored against the price one horizon later,
    /// two-sided, over the last `coverage.window` horizons — the figures of `RiskParameters.coverage`.
    public struct Coverage: Sendable, Codable, Hashable {
        /// Completed horizons in the window.
        public var observations: Int
        /// Horizons in the window whose move exceeded the maintenance margin on either side.
        public var exceptions: Int
        /// exceptions / observations (0 while there are none).
        public var exceptionRate: Double?
        /// The two-sided target rate 2ε.
        public var targetRate: Double?
        /// Kupiec's proportion-of-failures statistic (χ²₁).
        public var kupiecStatistic: Double?
        /// Its p-value.
        public var kupiecPValue: Double?
        /// Traffic-light zone: `green`, `yellow`, `red`.
        public var zone: String
        /// Window length, horizons.
        public var window: Int
        /// Liquidation horizon the asset is scored over, seconds.
        public var horizonSeconds: Double
        /// Whether the last update used a σ widened because of the zone.
        public var widened: Bool

        /// The document's rendition of a snapshot's coverage (numbers that are not finite become `null`).
        init(_ coverage: EngineSnapshot.AssetCoverage) {
            func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
            observations = coverage.observations
            exceptions = coverage.exceptions
            exceptionRate = finite(coverage.exceptionRate)
            targetRate = finite(coverage.targetRate)
            kupiecStatistic = finite(coverage.kupiecStatistic)
            kupiecPValue = finite(coverage.kupiecPValue)
            zone = coverage.zone.rawValue
            window = coverage.window
            horizonSeconds = Double(coverage.horizonNs) / 1e9
            widened = coverage.widened
        }
    }

    /// One asset's row.
    public struct Asset: Sendable, Codable, Hashable {
        /// Symbol.
        public var symbol: String
        /// Latest robust price.
        public var price: Double?
        /// Annualized volatility.
        public var sigmaAnnual: Double?
        /// Estimator state: `noData`, `warming`, `ready`.
        public var estimate: String
        /// Margin status: `warming`, `ready`, `stressed`, `stale` (`null` before the first grid step).
        public var status: String?
        /// Published initial margin fraction.
        public var imf: Double?
        /// Target (ungoverned) initial margin fraction.
        public var imfTarget: Double?
        /// Published maintenance margin fraction.
        public var mmf: Double?
        /// Target maintenance margin fraction.
        public var mmfTarget: Double?
        /// Published maximum leverage.
        public var maxLeverage: Int?
        /// Target maximum leverage.
        public var maxLeverageTarget: Int?
        /// Why published and target differ, and which rules shaped the target: the wire's reason codes as
        /// `RiskParameters.reasons` carries them, in their readable form (`step_limit`; see ``reasonLegend``).
        public var reasons: [String]
        /// Event time until the published values reach the targets, seconds.
        public var etaSeconds: Double?
        /// Event time of the parameters, ns.
        public var eventTimeNs: Int64?
        /// Live coverage of the published margins (`null` when coverage tracking is off).
        public var coverage: Coverage?
        /// The published size tiers, smallest first (empty before the first publication).
        public var tiers: [Tier] = []
        /// The smoothed impact curve of the last grid step (`null` without a fresh book): the cost of liquidating
        /// each notional, as the tiers were derived from it (protocols/README.md, "Liquidity").
        public var impactCurve: Impact?
        /// The live open-interest caps the venue formats render (`null` when the asset has none).
        public var openInterestLowerCap: Double?
        /// Upper open-interest cap.
        public var openInterestUpperCap: Double?
        /// σ, IMF and MMF over the last hour, oldest first (``ParameterHistory``; empty for an asset past
        /// `http.symbolMetricsLimit`).
        public var history: [ParameterHistory.Point] = []
    }

    /// An impact curve: the cost (fraction of notional) of liquidating a long into the bids and a short from the
    /// asks at each sampled notional.
    public struct Impact: Sendable, Codable, Hashable {
        /// Sampled notionals, ascending, quote currency.
        public var notionals: [Double]
        /// Cost of selling each notional into the bids.
        public var longCost: [Double]
        /// Cost of buying each notional from the asks.
        public var shortCost: [Double]
    }

    /// One published size tier: positions with notional in [floor, cap).
    public struct Tier: Sendable, Codable, Hashable {
        /// Lower bound of the notional, quote currency.
        public var notionalFloor: Double
        /// Upper bound (`null` for the last tier when unbounded).
        public var notionalCap: Double?
        /// Initial margin fraction.
        public var imf: Double
        /// Maintenance margin fraction.
        public var mmf: Double
        /// Maximum leverage.
        public var maxLeverage: Int
    }

    /// One feed's counters.
    public struct Feed: Sendable, Codable, Hashable {
        /// Configured name.
        public var name: String
        /// Messages received.
        public var received: UInt64
        /// Ticks accepted.
        public var accepted: UInt64
        /// Messages of channels Fulcrum does not use.
        public var ignored: UInt64
        /// Messages or ticks rejected, all reasons.
        public var rejected: UInt64
        /// Seconds since the feed's message count last moved (since start if it never has).
        public var lastMessageAgeSeconds: Double
    }

    /// Publisher epoch.
    public var epoch: UInt64
    /// Sequence number of the last update published.
    public var sequence: UInt64
    /// Grid steps run.
    public var gridSteps: UInt64
    /// Last closed grid boundary, ns (event time).
    public var lastBoundaryNs: Int64?
    /// Whether `/ready` passes.
    public var ready: Bool
    /// Why not, when not ready.
    public var notReadyReasons: [String]
    /// Assets in engine order.
    public var assets: [Asset]
    /// Correlation matrix of the first `http.correlationLimit` of ``assets``, in their order, row by row.
    public var correlation: [[Double?]]
    /// Feeds in configuration order.
    public var feeds: [Feed]
    /// Every reason word of ``Asset/reasons`` with its meaning, in code order: the dashboard's legend.
    public var reasonLegend: [ReasonEntry]
    /// Protocol health (``Health``): absent while health is off or has not computed a message yet.
    public var health: Health?

    /// One reason of the legend.
    public struct ReasonEntry: Sendable, Codable, Hashable {
        /// The word (`step_limit`), as `fulcrum watch` and the logs write it.
        public var reason: String
        /// What it means.
        public var meaning: String
    }

    /// Builds the document from one observation, with the correlations of the first `correlationLimit` assets.
    /// `history`, when given, supplies each asset's ``Asset/history``, and `healthHistory` the health section's.
    public init(observation: MetricsObservation, readiness: HTTPHealth, feedNames: [String],
                correlationLimit: Int = .max, history: ParameterHistory? = nil,
                healthHistory: HealthHistory? = nil) {
        let snapshot = observation.snapshot
        epoch = snapshot.epoch
        sequence = observation.lastSequence
        gridSteps = snapshot.stepsRun
        lastBoundaryNs = snapshot.lastBoundary
        ready = readiness.ok
        notReadyReasons = readiness.reasons
        func finite(_ values: [Double], _ index: Int) -> Double? {
            index < values.count && values[index].isFinite ? values[index] : nil
        }
        assets = snapshot.symbols.enumerated().map { index, symbol in
            let parameters = snapshot.announcedParameters(index)
            let tiers = (parameters?.publishedTiers).map { table in
                table.map { tier in
                    Tier(notionalFloor: tier.lowerBoundNotional,
                         notionalCap: tier.upperBoundNotional < .greatestFiniteMagnitude ? tier.upperBoundNotional : nil,
                         imf: tier.initialMarginFraction, mmf: tier.maintenanceMarginFraction,
                         maxLeverage: tier.maxLeverage)
                }
            } ?? []
            return Asset(
                symbol: symbol, price: finite(snapshot.prices, index),
                sigmaAnnual: finite(snapshot.annualVolatility, index),
                estimate: index < snapshot.estimateStatus.count ? snapshot.estimateStatus[index] : "noData",
                status: parameters?.status.rawValue,
                imf: parameters?.published.initialMarginFraction, imfTarget: parameters?.target.initialMarginFraction,
                mmf: parameters?.published.maintenanceMarginFraction,
                mmfTarget: parameters?.target.maintenanceMarginFraction,
                maxLeverage: parameters?.published.maxLeverage, maxLeverageTarget: parameters?.target.maxLeverage,
                reasons: parameters.map { RiskEngine.wireReasons($0.reasons, status: $0.status).map(\.label) } ?? [],
                etaSeconds: parameters.map { Double($0.etaNs) / 1e9 }, eventTimeNs: parameters?.eventTimeNs,
                coverage: index < snapshot.coverage.count ? snapshot.coverage[index].map(Coverage.init) : nil,
                tiers: tiers, impactCurve: index < snapshot.impact.count
                    ? snapshot.impact[index].map {
                        Impact(notionals: $0.notionals, longCost: $0.longCost, shortCost: $0.shortCost)
                    } : nil,
                openInterestLowerCap: parameters?.inputs.openInterestLowerCap,
                openInterestUpperCap: parameters?.inputs.openInterestUpperCap,
                history: history?.series(of: symbol) ?? [])
        }
        let dimension = snapshot.correlationDimension ?? snapshot.symbols.count
        let shown = min(dimension, max(correlationLimit, 0))
        correlation = (0..<shown).map { row in
            (0..<shown).map { column in finite(snapshot.correlation, row * dimension + column) }
        }
        health = observation.health.flatMap {
            Health($0, lastBoundary: snapshot.lastBoundary, history: healthHistory)
        }
        reasonLegend = Fulcrum_V1_Reason.legend.map { ReasonEntry(reason: $0.label, meaning: $0.meaning) }
        feeds = observation.feedAges.indices.map { index in
            let counters = index < snapshot.feeds.count ? snapshot.feeds[index] : .init()
            let age = observation.feedAges[index].components
            return Feed(name: index < feedNames.count ? feedNames[index] : "#\(index)", received: counters.received,
                        accepted: counters.accepted, ignored: counters.ignored, rejected: counters.rejected,
                        lastMessageAgeSeconds: Double(age.seconds) + Double(age.attoseconds) / 1e18)
        }
    }
}
