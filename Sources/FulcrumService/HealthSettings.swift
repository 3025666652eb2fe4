import FulcrumSettings
import MarketSimulator
import ProtocolHealth

/// Protocol health: the `health` section. With the simulated market on, a simulated position book is valued at
/// the published parameters every ``interval`` and stressed by liquidation cascades; the result is published on
/// its own PUB socket as topic `health` (protobuf) and `json.health` (its JSON rendition). See
/// protocols/README.md, "Protocol health".
public struct HealthSettings: Sendable, Codable, Hashable {
    /// Compute and publish protocol health. Default: true (it runs when it has positions: today the simulated
    /// book, so with `simulator.enabled`).
    public var enabled: Bool = true
    /// A position source to read positions from (replaces the simulated book). Default: none.
    public var positions: PositionFeedSettings = PositionFeedSettings()
    /// Accounts in the simulated position book. Default: 2,000. Allowed: 0 (no simulated book) … 1,000,000.
    public var simulatedAccounts: Int = 2_000
    /// Seed of the simulated book and of the stress scenarios. Default: 1.
    public var seed: UInt64 = 1
    /// Where the health PUB socket binds. Default: `tcp://127.0.0.1:7603`. A port in use is logged as an error
    /// and health goes unpublished; the risk feed is not affected.
    public var publishEndpoint: String = "tcp://127.0.0.1:7603"
    /// How often health is recomputed (after a new grid step). Default: 5 s. Allowed: 100 ms … 1 h.
    @NanosecondDuration public var interval: Duration = .seconds(5)
    /// Stress scenarios drawn per computation, beside the hypothetical shocks: filtered-historical draws of the
    /// engine's joint standardized-residual rows scaled by each market's horizon σ, or, while fewer than
    /// ``HealthMonitor/minimumHistoryRows`` rows exist, joint Student-t (ν = 4) shocks with the estimated
    /// correlation. Default: 500. Allowed: 0 (the hypothetical shocks alone, which must then not be empty)
    /// … 100,000.
    public var scenarios: Int = 500
    /// The worst rows of the residual history for the current open interest, run as scenarios of their own
    /// beside the filtered-historical draws. Default: 10. Allowed: 0 … 1,000.
    public var worstHistoricalScenarios: Int = 10
    /// Hypothetical shocks applied to every market at once, as fractions (−0.2 = −20 %). Default: −10 %, −20 %,
    /// −30 %, +10 %, +20 %, +30 %.
    public var hypotheticalShocks: [Double] = [-0.1, -0.2, -0.3, 0.1, 0.2, 0.3]
    /// Confidence of the bad-debt and liquidation quantiles. Default: 0.99. Allowed: 0.5 … 0.9999.
    public var confidence: Double = 0.99
    /// The insurance fund the coverage ratio divides (quote). Default: 1,000,000.
    public var insuranceFund: Double = 1_000_000
    /// Liquidation fee on the notional closed. Default: 0.005. Allowed: 0 … < 1.
    public var liquidationFee: Double = 0.005
    /// Threads the stress cascades run on: the health thread and `stressThreads − 1` more, plain OS threads each
    /// taking the next scenario (figures identical, bit for bit, whatever the count). Default: 0, the active
    /// processor count. Allowed: 0 … 64.
    public var stressThreads: Int = 0
    /// Health-constrained margins (off by default).
    public var marginConstraint = HealthMarginConstraint()

    /// The defaults.
    public init() {}

    /// ``stressThreads`` as `StressReport` takes it: `nil` (the active processor count) for 0.
    public var stressThreadCount: Int? { stressThreads > 0 ? stressThreads : nil }

    /// Checks every setting.
    ///
    /// - Throws: ``ConfigurationError`` naming the key.
    public func validate() throws {
        func fail(_ key: String, _ value: Any, _ allowed: String) -> ConfigurationError {
            ConfigurationError(key: "health.\(key)", value: "\(value)", allowed: allowed)
        }
        guard (0...1_000_000).contains(simulatedAccounts) else {
            throw fail("simulatedAccounts", simulatedAccounts, "0 … 1000000")
        }
        guard (.milliseconds(100) ... .seconds(3_600)).contains(interval) else {
            throw fail("interval", "\($interval)ns", "100ms … 1h")
        }
        guard (0...100_000).contains(scenarios) else { throw fail("scenarios", scenarios, "0 … 100000") }
        guard (0...1_000).contains(worstHistoricalScenarios) else {
            throw fail("worstHistoricalScenarios", worstHistoricalScenarios, "0 … 1000")
        }
        guard scenarios > 0 || !hypotheticalShocks.isEmpty else {
            throw fail("scenarios", scenarios, "at least 1 when health.hypotheticalShocks is empty")
        }
        for (index, shock) in hypotheticalShocks.enumerated() where !(shock.isFinite && shock > -1) {
            throw fail("hypotheticalShocks[\(index)]", shock, "a finite fraction above −1")
        }
        guard (0...64).contains(stressThreads) else { throw fail("stressThreads", stressThreads, "0 … 64") }
        guard confidence >= 0.5, confidence <= 0.9999 else { throw fail("confidence", confidence, "0.5 … 0.9999") }
        guard insuranceFund.isFinite, insuranceFund >= 0 else {
            throw fail("insuranceFund", insuranceFund, "a finite amount ≥ 0")
        }
        guard liquidationFee.isFinite, (0..<1).contains(liquidationFee) else {
            throw fail("liquidationFee", liquidationFee, "0 … < 1")
        }
        try marginConstraint.validate()
        try PublisherSection.validateEndpoint(publishEndpoint, key: "health.publishEndpoint")
        if positions.isConfigured {
            try PublisherSection.validateEndpoint(positions.endpoint, key: "health.positions.endpoint", binding: false)
            try PublisherSection.validateEndpoint(positions.snapshotEndpoint, key: "health.positions.snapshotEndpoint",
                                                  binding: false)
            guard (.milliseconds(100) ... .seconds(600)).contains(positions.snapshotTimeout) else {
                throw fail("positions.snapshotTimeout", "\(positions.$snapshotTimeout)ns", "100ms … 10m")
            }
            guard (1_024...(1 << 30)).contains(positions.maxMessageSize) else {
                throw fail("positions.maxMessageSize", positions.maxMessageSize, "1024 … 1073741824")
            }
        }
    }
}

extension FulcrumConfiguration {
    /// Where protocol health gets its positions, or `nil` when it does not run: off, or no source (a position
    /// feed, or the simulated book of the simulated market's assets).
    public func healthPositionSource() throws -> HealthPositionSource? {
        guard health.enabled else { return nil }
        if health.positions.isConfigured {
            guard !ingest.symbols.allowList.isEmpty else {
                throw ConfigurationError(key: "ingest.symbols.allowList", value: "[]",
                                         allowed: "the markets positions refer to",
                                         message: "a position feed needs the symbols listed")
            }
            return .feed(health.positions, symbols: ingest.symbols.allowList)
        }
        guard let book = try healthPositionBook() else { return nil }
        return .fixed(book, symbols: simulator.market.assets.map(\.symbol))
    }

    /// The simulated position book, when the simulated market runs and health has accounts for it.
    public func healthPositionBook() throws -> PositionBook? {
        guard health.enabled, simulator.enabled, health.simulatedAccounts > 0 else { return nil }
        return try SimulatedPositions.book(assets: simulator.market.assets, accounts: health.simulatedAccounts,
                                           seed: health.seed)
    }
}

/// Where protocol health's positions come from.
public enum HealthPositionSource: Sendable {
    /// A book given once (the simulated book), its markets named by `symbols`.
    case fixed(PositionBook, symbols: [String])
    /// A position source's feed; its markets are `symbols`.
    case feed(PositionFeedSettings, symbols: [String])

    /// The market names, in the book's market order.
    public var symbols: [String] {
        switch self {
        case let .fixed(_, symbols), let .feed(_, symbols): symbols
        }
    }
}
