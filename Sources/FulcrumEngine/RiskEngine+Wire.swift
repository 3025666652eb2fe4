import FulcrumProtocol
import MarginModel
import RiskEstimation

extension RiskEngine {
    /// Storage reused across encodes so that a steady-state grid step encodes its updates without allocating.
    ///
    /// An encode returns the `bytes` array itself (sharing its storage); once the caller has dropped it, the next
    /// encode writes into the same storage. A caller that keeps the array keeps its bytes: the next encode then
    /// starts a new storage (copy on write).
    struct WireBuffers {
        /// The encoded message.
        var bytes: [UInt8] = []
        /// The encoded portfolio message, apart: its megabytes at large N are then written over in place at every
        /// step instead of zero-filled again after each asset's message has shrunk the buffer.
        var portfolioBytes: [UInt8] = []
        /// `RiskParameters.reasons` of the message being encoded.
        var reasons: [Fulcrum_V1_Reason] = []
        /// `RiskParameters.tiers` of the message being encoded.
        var tiers: [Fulcrum_V1_MarginTier] = []
        /// Per asset, whether its pairs can be ready (``RiskEstimator/isReadyForPairs(_:)``).
        var readyForPairs: [Bool] = []
    }

    /// The estimator's horizon volatilities and correlations, as the portfolio update reads them.
    struct EstimatorMatrix: PortfolioMatrix {
        /// The estimator.
        let estimator: RiskEstimator
        /// Horizon of `sigmaHorizon`, ns.
        let horizonNs: Int64
        /// ``RiskEstimator/isReadyForPairs(_:)`` of every asset.
        let readyForPairs: [Bool]

        func sigmaHorizon(_ asset: Int) -> Double { estimator.horizonVolatility(asset, horizon: horizonNs) }
        func correlation(_ row: Int, _ column: Int) -> Double { estimator.correlation(row, column) }
        func isPairReady(_ row: Int, _ column: Int) -> Bool { readyForPairs[row] && readyForPairs[column] }

        /// The row in one pass over the estimator's packed sums (``RiskEstimator/storeCorrelations(row:count:into:)``).
        func appendCorrelations(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements) {
            let estimator = estimator
            elements.append(byteCount: 8 * (count - row)) { destination in
                estimator.storeCorrelations(row: row, count: count - row, into: destination)
            }
        }

        /// k with the factor correlation model (the message then carries the loadings), 0 with the full matrix.
        var factorCount: Int { estimator.correlationFactorCount }

        /// The asset's k loadings in one copy (``RiskEstimator/storeCorrelationLoadings(asset:into:)``).
        func appendLoadings(asset: Int, to elements: inout ProtobufWriter.PackedElements) {
            let estimator = estimator
            elements.append(byteCount: 8 * estimator.correlationFactorCount) { destination in
                estimator.storeCorrelationLoadings(asset: asset, into: destination)
            }
        }

        func isAdmitted(_ asset: Int) -> Bool { estimator.isInCorrelation(asset) }
        func isReady(_ asset: Int) -> Bool { readyForPairs[asset] }
        var shrinkageTarget: Double { estimator.targetCorrelation }

        func appendPairReadiness(row: Int, count: Int, to elements: inout ProtobufWriter.PackedElements) {
            readyForPairs.withUnsafeBytes { ready in
                // A `Bool` is stored as one byte, 0 or 1, as the packed field wants it: a ready row is a copy of
                // the flags from its own column on, any other row all zeros.
                let rowReady = ready[row] != 0
                elements.append(byteCount: count - row) { destination in
                    if rowReady {
                        destination.copyMemory(from: ready.baseAddress! + row, byteCount: count - row)
                    } else {
                        destination.initializeMemory(as: UInt8.self, repeating: 0, count: count - row)
                    }
                }
            }
        }
    }

    /// Topic of the portfolio update, built once.
    static let portfolioTopic: [UInt8] = Array(Topic.portfolio.utf8)

    /// Encodes one asset's parameters as `fulcrum.v1.RiskParameters` in the engine's reused buffers, with the
    /// hand-written encoder (byte-identical to swift-protobuf's, without its per-message allocations).
    /// `markedStale` publishes them as the feed-silence rule does: status STALE and `REASON_STALE_FEED` appended
    /// when not already there.
    ///
    /// `mutating`, not for what it changes (only the buffers) but so that the engine is passed by reference: a
    /// non-mutating encoder called with the buffers moved out of a mutable engine received a copy of the whole
    /// engine (about 3 KB and a retain per array) for every update.
    mutating func wireParameters(_ parameters: AssetParameters, step: GridStep, markedStale: Bool = false)
        -> [UInt8] {
        var buffers = WireBuffers()
        swap(&buffers, &wireBuffers)
        defer { swap(&buffers, &wireBuffers) }
        let asset = parameters.asset
        buffers.reasons.removeAll(keepingCapacity: true)
        Self.appendReasons(parameters.reasons, status: parameters.status, to: &buffers.reasons)
        if markedStale, !buffers.reasons.contains(.staleFeed) { buffers.reasons.append(.staleFeed) }
        buffers.tiers.removeAll(keepingCapacity: true)
        // By index: iterating the table as a sequence copies all of it into the iterator first.
        for index in 0..<parameters.publishedTiers.count {
            buffers.tiers.append(Self.wireTier(parameters.publishedTiers[index]))
        }
        let fields = RiskParametersArrays(
            symbol: symbols[asset],
            publisherEpoch: epoch,
            asOfNs: step.boundary,
            gridStep: UInt64(max(step.index, 0)),
            status: markedStale ? .stale : Self.wireStatus(parameters.status),
            price: prices[asset].isFinite ? prices[asset] : 0,
            inputs: wireInputs(parameters.inputs, asset: asset),
            imf: parameters.published.initialMarginFraction,
            mmf: parameters.published.maintenanceMarginFraction,
            maxLeverage: UInt32(clamping: parameters.published.maxLeverage),
            imfTarget: parameters.target.initialMarginFraction,
            mmfTarget: parameters.target.maintenanceMarginFraction,
            maxLeverageTarget: UInt32(clamping: parameters.target.maxLeverage),
            mmfLong: parameters.longMaintenanceMarginFraction,
            mmfShort: parameters.shortMaintenanceMarginFraction,
            reasons: buffers.reasons,
            etaSteps: UInt32(clamping: parameters.etaSteps),
            etaNs: parameters.etaNs,
            tiers: buffers.tiers,
            configHash: parameters.configurationHash,
            coverage: configuration.coverage.enabled ? wireCoverage(asset: asset) : nil,
            horizonNs: liquidationHorizonNs(asset: asset))
        var writer = ProtobufWriter(reusing: &buffers.bytes)
        fields.encodeArrays(into: &writer)
        writer.finish(into: &buffers.bytes)
        return buffers.bytes
    }

    /// The asset's effective liquidation horizon: its override if it has one, else the global
    /// `model.coverage.liquidationHorizonNs` (the horizon the optimizer scaled `sigma_horizon` with).
    @inline(__always)
    func liquidationHorizonNs(asset: Int) -> Int64 {
        optimizer.overrides(ofAsset: asset).liquidationHorizonNs ?? configuration.model.coverage.liquidationHorizonNs
    }

    /// Inlined into the encoder, as are ``wireCoverage(asset:)`` and ``wireMarketInputs(asset:averageDailyVolume:into:)``:
    /// called out of line from the mutating encoder, each received a copy of the whole engine.
    @inline(__always)
    func wireInputs(_ echo: MarginInputsEcho, asset: Int) -> Fulcrum_V1_ModelInputs {
        var inputs = Fulcrum_V1_ModelInputs()
        inputs.sigmaStep = echo.sigmaStep ?? 0
        inputs.sigmaAnnual = estimator.annualizedVolatility(asset)
        inputs.sigmaHorizon = echo.horizonSigma
        inputs.ess = echo.effectiveSampleSize
        inputs.residualCount = UInt32(clamping: echo.residualCount)
        inputs.stalenessNs = echo.stalenessNs
        inputs.stressedSigmaStep = echo.stressedSigmaStep ?? 0
        inputs.openInterestLowerCap = echo.openInterestLowerCap ?? 0
        inputs.openInterestUpperCap = echo.openInterestUpperCap ?? 0
        wireMarketInputs(asset: asset, averageDailyVolume: echo.averageDailyVolumeNotional, into: &inputs)
        return inputs
    }

    /// A tier as the wire carries it (`fulcrum.v1.MarginTier`).
    public static func wireTier(_ tier: MarginTier) -> Fulcrum_V1_MarginTier {
        var wire = Fulcrum_V1_MarginTier()
        wire.notionalFloor = tier.lowerBoundNotional
        wire.notionalCap = tier.upperBoundNotional
        wire.imf = tier.initialMarginFraction
        wire.mmf = tier.maintenanceMarginFraction
        wire.maxLeverage = UInt32(clamping: tier.maxLeverage)
        wire.maintenanceDeduction = tier.maintenanceDeduction
        return wire
    }

    static func wireStatus(_ status: MarginStatus) -> Fulcrum_V1_AssetStatus {
        switch status {
        case .warming: .warming
        case .ready: .ready
        case .stressed: .stressed
        case .stale: .stale
        }
    }

    static let reasonMap: [(MarginReasons, Fulcrum_V1_Reason)] = [
        (.stepLimited, .stepLimit), (.cooldown, .cooldown), (.hysteresis, .hysteresis),
        (.floorApplied, .floor), (.capApplied, .cap), (.antiProcyclicalFloor, .antiProcyclical),
        (.antiProcyclicalBuffer, .antiProcyclicalBuffer), (.circuitBreakerShock, .circuitBreaker),
        (.circuitBreakerOverride, .circuitBreaker), (.circuitBreakerStale, .staleFeed),
        (.parametricFallback, .parametricFallback), (.periodicRefresh, .periodicRefresh),
        (.invalidInput, .invalidInput), (.liquidityUnknown, .liquidityUnknown),
        (.invariantAdjusted, .invariantAdjusted), (.leverageCapped, .leverageCapped),
        (.coverageWidening, .coverageWidening), (.bookImpact, .bookImpact), (.openInterestScaled, .openInterest),
        (.concentrationAddOn, .concentration), (.circuitBreakerLiquidations, .liquidationCascade),
        (.protocolHealth, .protocolHealth),
    ]

    /// Appends the wire reasons of `reasons` (`warming` first when warming, then in `reasonMap` order, each
    /// code once).
    static func appendReasons(_ reasons: MarginReasons, status: MarginStatus, to wire: inout [Fulcrum_V1_Reason]) {
        let start = wire.count
        if status == .warming { wire.append(.warming) }
        for (reason, code) in reasonMap where reasons.contains(reason) && !wire[start...].contains(code) {
            wire.append(code)
        }
    }

    /// Encodes the correlation state as `fulcrum.v1.PortfolioUpdate` (upper triangle, row-major; or the factor
    /// form's n·k loadings with the factor correlation model) in the engine's
    /// reused buffers, with the hand-written encoder (`mutating` for the reason given at ``wireParameters(_:step:markedStale:)``).
    mutating func wirePortfolio(step: GridStep) -> [UInt8] {
        var buffers = WireBuffers()
        swap(&buffers, &wireBuffers)
        defer { swap(&buffers, &wireBuffers) }
        let horizon = configuration.model.coverage.liquidationHorizonNs
        buffers.readyForPairs.removeAll(keepingCapacity: true)
        for asset in symbols.indices { buffers.readyForPairs.append(estimator.isReadyForPairs(asset)) }
        let fields = PortfolioUpdateFields(
            publisherEpoch: epoch,
            asOfNs: step.boundary,
            gridStep: UInt64(max(step.index, 0)),
            symbols: symbols,
            matrix: EstimatorMatrix(estimator: estimator, horizonNs: horizon, readyForPairs: buffers.readyForPairs),
            shrinkageIntensity: estimator.shrinkageIntensity,
            horizonNs: horizon,
            maxOffsetFraction: configuration.model.portfolio.maximumCreditFraction,
            coverageEpsilon: configuration.model.portfolio.tailProbability,
            configHash: optimizer.configurationHash)
        var writer = ProtobufWriter(reusing: &buffers.portfolioBytes)
        fields.encode(into: &writer)
        writer.finish(into: &buffers.portfolioBytes)
        return buffers.portfolioBytes
    }
}
