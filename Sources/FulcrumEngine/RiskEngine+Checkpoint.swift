import MarginModel
import MarketData
import RiskEstimation

extension RiskEngine {
    /// A consistent copy of the engine's state, taken on the ingest thread right after a grid step.
    ///
    /// Taking it costs a few reference-count increments: the parts are value types whose storage is shared until
    /// the engine next writes to them (then the engine copies what it writes, once). Encoding happens later, on
    /// the checkpoint writer's thread (``encoded()``).
    public struct Snapshot: Sendable {
        let ingestor: TickIngestor
        let estimator: RiskEstimator
        let optimizer: MarginOptimizer
        /// Asset names in engine order.
        public let symbols: [String]
        let latest: [AssetParameters?]
        let prices: [Double]
        let volume: TradedVolume
        let coverage: CoverageLedger
        /// Grid steps the engine had run.
        public let stepsRun: UInt64
        /// The last closed grid boundary, ns.
        public let boundary: Int64
        /// Exchange time of the last tick the snapshot reflects (the one that closed `boundary`), ns.
        public let throughExchangeTime: Int64
        /// Epoch of the run that took the snapshot.
        public let epoch: UInt64
    }

    /// The serialized form of a ``Snapshot`` (payload format ``RiskEngine/checkpointPayloadFormat``).
    public struct CheckpointPayload: Sendable, Codable {
        /// `[0x0102030405060708]` written as a raw array: a reader of the other byte order sees another value.
        public var byteOrderProbe: [UInt64]
        public var symbols: [String]
        public var prices: [Double]
        public var latest: [AssetParameters?]
        public var stepsRun: UInt64
        public var volume: TradedVolume
        public var estimator: RiskEstimator
        public var governance: [AssetMarginState]
        /// The optimizer's residual tails per asset (format 2): restoring them, rather than rebuilding them from
        /// the residuals, keeps the running power sums, so later updates are bit-identical.
        public var tails: [ResidualTailState]
        /// Live coverage trackers (format 2).
        public var coverage: CoverageLedger.Checkpoint
        public var ingestor: TickIngestor.Checkpoint
    }

    /// Version of the payload layout; a checkpoint of another version is refused as incompatible.
    ///
    /// Format 2 added the optimizer's residual tails and the coverage trackers.
    public static let checkpointPayloadFormat = 2
    public static let byteOrderProbe: UInt64 = 0x0102_0304_0506_0708

    /// A snapshot after the step closed by a tick with exchange time `throughExchangeTime`; `nil` before the first
    /// grid step.
    public func snapshot(throughExchangeTime: Int64) -> Snapshot? {
        guard let boundary = estimator.lastBoundary else { return nil }
        return Snapshot(ingestor: ingestor, estimator: estimator, optimizer: optimizer, symbols: symbols,
                        latest: latest, prices: prices, volume: volume, coverage: coverage.ledger,
                        stepsRun: stepsRun, boundary: boundary, throughExchangeTime: throughExchangeTime, epoch: epoch)
    }

    /// The ingest side's part of a checkpoint, taken by a deferring engine after a tick that closed grid steps; the
    /// engine that runs those steps completes it (``snapshot(ingestSide:)``).
    public struct IngestSide: Sendable {
        let ingestor: TickIngestor
        let estimator: RiskEstimator
        let prices: [Double]
        let volume: TradedVolume
        /// Grid steps the ingest side had closed.
        public let stepsRun: UInt64
        /// Exchange time of the tick that closed the last of them, ns.
        public let throughExchangeTime: Int64
    }

    /// The ingest side's part of a checkpoint after the tick with exchange time `throughExchangeTime`.
    public func ingestSide(throughExchangeTime: Int64) -> IngestSide {
        IngestSide(ingestor: ingestor, estimator: estimator, prices: prices, volume: volume, stepsRun: stepsRun,
                   throughExchangeTime: throughExchangeTime)
    }

    /// The snapshot of a pipelined engine once this (step-side) engine has run every step `side` had closed: the
    /// ingest side's ingestor, estimator, prices and volume, this engine's parameters, governance and coverage.
    /// It is the snapshot an inline engine takes after the same tick. `nil` before the first grid step, or if this
    /// engine has not run exactly those steps.
    public func snapshot(ingestSide side: IngestSide) -> Snapshot? {
        guard side.stepsRun == stepsRun, let boundary = side.estimator.lastBoundary else { return nil }
        return Snapshot(ingestor: side.ingestor, estimator: side.estimator, optimizer: optimizer, symbols: symbols,
                        latest: latest, prices: side.prices, volume: side.volume, coverage: coverage.ledger,
                        stepsRun: stepsRun, boundary: boundary, throughExchangeTime: side.throughExchangeTime,
                        epoch: epoch)
    }

    /// Builds an engine for `configuration` that continues from a checkpoint payload, with a new `epoch`.
    ///
    /// The checkpoint's symbols must begin with the allow-listed ones, in order, as a fresh engine registers them;
    /// all are registered in the checkpoint's order, so asset indices, topics and symbol identifiers are those of
    /// the engine that wrote it. Estimator (taken as written, without first building an empty one), governance
    /// memory, the optimizer's residual tails, coverage trackers, prices, latest parameters, traded volume and the
    /// ingestor's stream memory are restored as written, so replaying the ticks after the checkpoint publishes,
    /// byte for byte, what an engine that never stopped publishes (but for the epoch). Ingest counters start
    /// afresh, and a coverage tracker whose settings changed starts afresh (``CoverageLedger/restore(_:)``).
    ///
    /// Throws ``EngineError`` (`.incompatible` when the estimation settings or the allow-list differ from the
    /// checkpoint's, `.corrupt` when the parts do not fit together).
    public init(configuration: EngineConfiguration, epoch: UInt64, restoring payload: CheckpointPayload) throws {
        guard payload.byteOrderProbe == [Self.byteOrderProbe] else {
            throw EngineError(code: .incompatible, message: "written on a host of another byte order")
        }
        guard payload.estimator.configuration == configuration.estimation else {
            let written = Mirror(reflecting: payload.estimator.configuration).children
            let current = Mirror(reflecting: configuration.estimation).children
            let changes = zip(written, current).filter { "\($0.value)" != "\($1.value)" }
                .map { "estimation.\($0.label ?? "?") \($0.value) → \($1.value)" }
            throw EngineError(
                code: .incompatible,
                message: "the estimation settings changed since the checkpoint (\(changes.joined(separator: ", "))); "
                    + "its volatilities and residuals cannot be continued under them")
        }
        let count = payload.symbols.count
        guard payload.prices.count == count, payload.latest.count == count, payload.governance.count == count,
              payload.tails.count == count, payload.estimator.assetCount == count else {
            throw EngineError(code: .corrupt,
                                  message: "asset arrays disagree on the number of assets (\(count) symbols)")
        }
        // The assets a fresh engine registers first: the allow-listed names its symbol table interns.
        let fresh = TickIngestor(configuration: configuration.ingest)
        let allowListed = configuration.ingest.symbols.allowList.filter { fresh.symbols.id(of: $0) != nil }
        guard payload.symbols.starts(with: allowListed) else {
            throw EngineError(
                code: .incompatible,
                message: "the checkpoint's assets \(payload.symbols.prefix(allowListed.count + 3)) do not begin with "
                    + "the allow-list \(allowListed)")
        }
        self.configuration = configuration
        self.epoch = epoch
        coverage = CoverageState(configuration: configuration)
        // Books, open interest and liquidations are not checkpointed: they come back with the next messages.
        liquidity = LiquidityState(configuration: configuration.model.liquidity)
        do {
            ingestor = try TickIngestor(configuration: configuration.ingest, restoring: payload.ingestor)
        } catch {
            throw EngineError(code: .incompatible, message: "ingest state: \(error.message)")
        }
        // Taken as written (not built empty and replaced), so `register` adds no estimator storage for these.
        estimator = payload.estimator
        ingestor.lateBefore = estimator.openIntervalStart ?? .min
        optimizer = try MarginOptimizer(configuration: configuration.model, symbols: [])
        for name in payload.symbols {
            guard let raw = ingestor.symbols.id(of: name) else {
                throw EngineError(code: .corrupt, message: "asset \(name) is missing from the symbol table")
            }
            _ = try register(symbol: raw, name: name)
        }
        for asset in 0..<count {
            do { try optimizer.restore(payload.governance[asset], asset: asset) } catch {
                throw EngineError(code: .corrupt, message: "governance of \(payload.symbols[asset]): \(error)")
            }
            do { try optimizer.restore(tail: payload.tails[asset], asset: asset) } catch {
                throw EngineError(code: .corrupt, message: "residual tail of \(payload.symbols[asset]): \(error)")
            }
        }
        do { try coverage.ledger.restore(payload.coverage) } catch {
            throw EngineError(code: .corrupt, message: "coverage: \(error)")
        }
        prices = payload.prices
        latest = payload.latest
        stepsRun = payload.stepsRun
        volume = payload.volume
        volume.ensureAsset(count - 1)
    }
}

extension RiskEngine.Snapshot {
    /// The snapshot as a checkpoint payload, to be encoded by the checkpoint store.
    public var payload: RiskEngine.CheckpointPayload {
        RiskEngine.CheckpointPayload(
            byteOrderProbe: [RiskEngine.byteOrderProbe], symbols: symbols, prices: prices, latest: latest,
            stepsRun: stepsRun, volume: volume, estimator: estimator,
            governance: (0..<optimizer.assetCount).map { optimizer.state(ofAsset: $0) },
            tails: (0..<optimizer.assetCount).map { optimizer.tailState(ofAsset: $0) },
            coverage: coverage.checkpoint, ingestor: ingestor.checkpoint)
    }

    /// Width of the grid interval the snapshot was taken on, ns.
    public var gridInterval: Int64 { estimator.configuration.gridInterval }
    /// Lateness allowance of the grid the snapshot was taken on, ns.
    public var lateness: Int64 { estimator.configuration.lateness }
    /// Number of assets.
    public var assetCount: Int { symbols.count }
    /// Hash of the margin model's configuration.
    public var modelConfigurationHash: UInt64 { optimizer.configurationHash }
}
