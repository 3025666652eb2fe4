import FulcrumProtocol
import MarginModel
import RiskEstimation

extension RiskEngine {
    /// Encodes one asset's parameters as `fulcrum.v1.RiskParameters`.
    func wireParameters(_ parameters: AssetParameters, step: GridStep) -> [UInt8] {
        let asset = parameters.asset
        var message = WireRiskParameters()
        message.symbol = symbols[asset]
        message.publisherEpoch = epoch
        message.asOfNs = step.boundary
        message.gridStep = UInt64(max(step.index, 0))
        message.status = Self.wireStatus(parameters.status)
        message.price = prices[asset].isFinite ? prices[asset] : 0
        message.inputs = wireInputs(parameters.inputs, asset: asset)
        message.imf = parameters.published.initialMarginFraction
        message.mmf = parameters.published.maintenanceMarginFraction
        message.maxLeverage = UInt32(clamping: parameters.published.maxLeverage)
        message.imfTarget = parameters.target.initialMarginFraction
        message.mmfTarget = parameters.target.maintenanceMarginFraction
        message.maxLeverageTarget = UInt32(clamping: parameters.target.maxLeverage)
        message.mmfLong = parameters.longMaintenanceMarginFraction
        message.mmfShort = parameters.shortMaintenanceMarginFraction
        message.reasons = Self.wireReasons(parameters.reasons, status: parameters.status)
        message.etaSteps = UInt32(clamping: parameters.etaSteps)
        message.etaNs = parameters.etaNs
        message.tiers = parameters.publishedTiers.map(Self.wireTier)
        message.configHash = parameters.configurationHash
        message.horizonNs = configuration.model.coverage.liquidationHorizonNs
        if configuration.coverage.enabled { message.coverage = wireCoverage(asset: asset) }
        if isCoverageWidened(asset: asset) { message.reasons.append(.coverageWidening) }
        // Serializing a fully initialized message cannot fail; an empty payload would be refused downstream.
        return (try? message.serializedBytes()) ?? []
    }

    func wireInputs(_ echo: MarginInputsEcho, asset: Int) -> Fulcrum_V1_ModelInputs {
        var inputs = Fulcrum_V1_ModelInputs()
        inputs.sigmaStep = echo.sigmaStep ?? 0
        inputs.sigmaAnnual = estimator.annualizedVolatility(asset)
        inputs.sigmaHorizon = echo.horizonSigma
        inputs.ess = echo.effectiveSampleSize
        inputs.residualCount = UInt32(clamping: echo.residualCount)
        inputs.stalenessNs = echo.stalenessNs
        inputs.stressedSigmaStep = echo.stressedSigmaStep ?? 0
        return inputs
    }

    static func wireTier(_ tier: MarginTier) -> Fulcrum_V1_MarginTier {
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
    ]

    static func wireReasons(_ reasons: MarginReasons, status: MarginStatus) -> [Fulcrum_V1_Reason] {
        var wire: [Fulcrum_V1_Reason] = status == .warming ? [.warming] : []
        for (reason, code) in reasonMap where reasons.contains(reason) && !wire.contains(code) { wire.append(code) }
        return wire
    }

    /// Encodes the correlation state as `fulcrum.v1.PortfolioUpdate` (upper triangle, row-major).
    func wirePortfolio(step: GridStep) -> [UInt8] {
        var message = WirePortfolioUpdate()
        message.publisherEpoch = epoch
        message.asOfNs = step.boundary
        message.gridStep = UInt64(max(step.index, 0))
        message.symbols = symbols
        let horizon = configuration.model.coverage.liquidationHorizonNs
        message.sigmaHorizon = symbols.indices.map { estimator.horizonVolatility($0, horizon: horizon) }
        let count = symbols.count
        var correlation: [Double] = []
        var ready: [Bool] = []
        correlation.reserveCapacity(count * (count + 1) / 2)
        ready.reserveCapacity(count * (count + 1) / 2)
        for row in 0..<count {
            for column in row..<count {
                correlation.append(estimator.correlation(row, column))
                ready.append(estimator.pairStatus(row, column) == .ready)
            }
        }
        message.correlation = correlation
        message.pairReady = ready
        message.shrinkageIntensity = estimator.shrinkageIntensity
        message.horizonNs = horizon
        message.maxOffsetFraction = configuration.model.portfolio.maximumCreditFraction
        message.coverageEpsilon = configuration.model.portfolio.tailProbability
        message.configHash = optimizer.configurationHash
        return (try? message.serializedBytes()) ?? []
    }
}
