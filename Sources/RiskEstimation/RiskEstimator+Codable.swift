extension RiskEstimator: Codable {
    enum CodingKeys: String, CodingKey {
        case configuration, gridStarted, nextBoundary, closedSteps, lateTickCount, invalidTickCount
        case hasUnsampledTicks, aheadCount, currentPrice, currentTime, aheadPrice, aheadTime, sampledPrice
        case sampledTime, stalenessSteps, returnCount, ewmaWeight, ewmaSquaredWeight, windowValues, windowSum
        case windowCompensation, lastReturnValue, lastStandardizedValue, hasLastStandardized, residualValues
        case residualNext, residualStored, residualsAppended, stressedSum, stressedCompensation, crossSum, fourthSum
        case largestMoveAsset, largestMoveValue, factorModel
    }

    /// The configuration as the checkpoint stores it: without the `correlationModel` key in the `.full` mode, so
    /// a full-mode state encodes exactly as it did before the factor mode existed.
    private struct StoredConfiguration: Encodable {
        let configuration: EstimatorConfiguration

        func encode(to encoder: any Encoder) throws {
            try configuration.encode(to: encoder, omittingFullCorrelationModel: true)
        }
    }

    /// Encodes the complete state (a checkpoint). Values derived once per step (correlation scales, shrinkage
    /// intensity) are not stored: decoding recomputes them with the same arithmetic, so a restored estimator is
    /// bit-identical to the original and evolves identically. With JSON, all stored doubles are finite.
    ///
    /// The `.full` mode writes exactly the keys it always had; the `.factors` mode writes `crossSum` with the N
    /// diagonal sums, an empty `fourthSum`, and adds `factorModel` (the ``FactorCovariance``); its correlation
    /// loadings are derived and recomputed on decoding.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(StoredConfiguration(configuration: configuration), forKey: .configuration)
        try container.encode(gridStarted, forKey: .gridStarted)
        try container.encode(nextBoundary, forKey: .nextBoundary)
        try container.encode(closedSteps, forKey: .closedSteps)
        try container.encode(lateTickCount, forKey: .lateTickCount)
        try container.encode(invalidTickCount, forKey: .invalidTickCount)
        try container.encode(hasUnsampledTicks, forKey: .hasUnsampledTicks)
        try container.encode(aheadCount, forKey: .aheadCount)
        try container.encode(currentPrice, forKey: .currentPrice)
        try container.encode(currentTime, forKey: .currentTime)
        try container.encode(aheadPrice, forKey: .aheadPrice)
        try container.encode(aheadTime, forKey: .aheadTime)
        try container.encode(sampledPrice, forKey: .sampledPrice)
        try container.encode(sampledTime, forKey: .sampledTime)
        try container.encode(stalenessSteps, forKey: .stalenessSteps)
        try container.encode(returnCount, forKey: .returnCount)
        try container.encode(ewmaWeight, forKey: .ewmaWeight)
        try container.encode(ewmaSquaredWeight, forKey: .ewmaSquaredWeight)
        try container.encode(windowValues, forKey: .windowValues)
        try container.encode(windowSum, forKey: .windowSum)
        try container.encode(windowCompensation, forKey: .windowCompensation)
        try container.encode(lastReturnValue, forKey: .lastReturnValue)
        try container.encode(lastStandardizedValue, forKey: .lastStandardizedValue)
        try container.encode(hasLastStandardized, forKey: .hasLastStandardized)
        try container.encode(residualValues, forKey: .residualValues)
        try container.encode(residualNext, forKey: .residualNext)
        try container.encode(residualStored, forKey: .residualStored)
        try container.encode(residualAppendedCount, forKey: .residualsAppended)
        try container.encode(stressedSum, forKey: .stressedSum)
        try container.encode(stressedCompensation, forKey: .stressedCompensation)
        try container.encode(crossSum, forKey: .crossSum)
        try container.encode(fourthSum, forKey: .fourthSum)
        try container.encode(largestMoveAsset, forKey: .largestMoveAsset)
        try container.encode(largestMoveValue, forKey: .largestMoveValue)
        if let factorModel {
            try container.encode(factorModel, forKey: .factorModel)
        }
    }

    /// Restores a state written by `encode(to:)`. Throws a `ConfigurationError` if the configuration is invalid, or
    /// `RiskEstimationError.invalidState`, naming the field, if the arrays do not fit together.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let configuration = try container.decode(EstimatorConfiguration.self, forKey: .configuration)
        try configuration.validate()
        self.configuration = configuration
        self.decay = configuration.decay
        (stressedLogDecay, stressedComplement, stressedSquaredComplement) = Self.stressedConstants(configuration)
        let factorConfiguration = configuration.correlationModel.factorConfiguration(decay: decay)
        factorStride = factorConfiguration?.factors ?? 0
        gridStarted = try container.decode(Bool.self, forKey: .gridStarted)
        nextBoundary = try container.decode(Int64.self, forKey: .nextBoundary)
        closedSteps = try container.decode(Int64.self, forKey: .closedSteps)
        lateTickCount = try container.decode(Int64.self, forKey: .lateTickCount)
        invalidTickCount = try container.decode(Int64.self, forKey: .invalidTickCount)
        hasUnsampledTicks = try container.decode(Bool.self, forKey: .hasUnsampledTicks)
        aheadCount = try container.decode(Int.self, forKey: .aheadCount)
        currentPrice = try container.decode([Double].self, forKey: .currentPrice)
        currentTime = try container.decode([Int64].self, forKey: .currentTime)
        aheadPrice = try container.decode([Double].self, forKey: .aheadPrice)
        aheadTime = try container.decode([Int64].self, forKey: .aheadTime)
        sampledPrice = try container.decode([Double].self, forKey: .sampledPrice)
        sampledTime = try container.decode([Int64].self, forKey: .sampledTime)
        stalenessSteps = try container.decode([Int64].self, forKey: .stalenessSteps)
        returnCount = try container.decode([Int64].self, forKey: .returnCount)
        ewmaWeight = try container.decode([Double].self, forKey: .ewmaWeight)
        ewmaSquaredWeight = try container.decode([Double].self, forKey: .ewmaSquaredWeight)
        windowValues = try container.decode([Double].self, forKey: .windowValues)
        windowSum = try container.decode([Double].self, forKey: .windowSum)
        windowCompensation = try container.decode([Double].self, forKey: .windowCompensation)
        lastReturnValue = try container.decode([Double].self, forKey: .lastReturnValue)
        lastStandardizedValue = try container.decode([Double].self, forKey: .lastStandardizedValue)
        hasLastStandardized = try container.decode([Bool].self, forKey: .hasLastStandardized)
        residualValues = try container.decode([Double].self, forKey: .residualValues)
        residualNext = try container.decode([Int].self, forKey: .residualNext)
        residualStored = try container.decode([Int].self, forKey: .residualStored)
        residualAppendedCount = try container.decode([UInt64].self, forKey: .residualsAppended)
        stressedSum = try container.decode([Double].self, forKey: .stressedSum)
        stressedCompensation = try container.decode([Double].self, forKey: .stressedCompensation)
        crossSum = try container.decode([Double].self, forKey: .crossSum)
        fourthSum = try container.decode([Double].self, forKey: .fourthSum)
        largestMoveAsset = try container.decode(Int.self, forKey: .largestMoveAsset)
        largestMoveValue = try container.decode(Double.self, forKey: .largestMoveValue)
        factorModel = try container.decodeIfPresent(FactorCovariance.self, forKey: .factorModel)
        try validateState()
        try validateFactorModel(expected: factorConfiguration)
        let count = currentPrice.count
        correlationLoadings = Array(repeating: 0, count: count * factorStride)
        loadingScratch = Array(repeating: 0, count: factorStride)
        factorPresence = Array(repeating: false, count: factorModel == nil ? 0 : count)
        inverseRoot = Array(repeating: 0, count: count)
        ownSum = Array(repeating: 0, count: count)
        stepReturns = Array(repeating: 0, count: count)
        scratchInverseWeight = Array(repeating: 0, count: count)
        scratchInverseESS = Array(repeating: 0, count: count)
        scratchInverseVariance = Array(repeating: 0, count: count)
        refreshCorrelation()
    }

    /// The factor model is there exactly in the `.factors` mode, with the configuration that mode implies (the
    /// estimator's λ) and one entry per asset.
    private func validateFactorModel(expected: FactorConfiguration?) throws {
        func fail(_ message: String, _ value: String) -> RiskEstimationError {
            RiskEstimationError(code: .invalidState, message: message, context: ["field": "factorModel", "value": value])
        }
        switch (factorModel, expected) {
        case (nil, nil):
            return
        case (nil, _?):
            throw fail("the configuration's correlation model is factors, but the state has no factor model", "none")
        case (_?, nil):
            throw fail("the state has a factor model, but the configuration's correlation model is full", "present")
        case (let model?, let wanted?):
            guard model.configuration == wanted else {
                throw fail("the factor model's configuration \(model.configuration) is not the one the estimator's "
                           + "configuration implies (\(wanted))", "\(model.configuration)")
            }
            guard model.assetCount == currentPrice.count else {
                throw fail("the factor model has \(model.assetCount) assets; expected \(currentPrice.count)",
                           "\(model.assetCount)")
            }
        }
    }

    private func validateState() throws {
        let count = currentPrice.count
        let pairs = count * (count + 1) / 2
        let expected: [(String, Int, Int)] = [
            ("currentTime", currentTime.count, count), ("aheadPrice", aheadPrice.count, count),
            ("aheadTime", aheadTime.count, count), ("sampledPrice", sampledPrice.count, count),
            ("sampledTime", sampledTime.count, count), ("stalenessSteps", stalenessSteps.count, count),
            ("returnCount", returnCount.count, count), ("ewmaWeight", ewmaWeight.count, count),
            ("ewmaSquaredWeight", ewmaSquaredWeight.count, count),
            ("windowValues", windowValues.count, count * configuration.window),
            ("windowSum", windowSum.count, count), ("windowCompensation", windowCompensation.count, count),
            ("lastReturnValue", lastReturnValue.count, count),
            ("lastStandardizedValue", lastStandardizedValue.count, count),
            ("hasLastStandardized", hasLastStandardized.count, count),
            ("residualValues", residualValues.count, count * configuration.residualCapacity),
            ("residualNext", residualNext.count, count), ("residualStored", residualStored.count, count),
            ("residualsAppended", residualAppendedCount.count, count), ("stressedSum", stressedSum.count, count),
            ("stressedCompensation", stressedCompensation.count, count),
            ("crossSum", crossSum.count, factorStride > 0 ? count : pairs),
            ("fourthSum", fourthSum.count, usesFourthMoments ? pairs : 0),
        ]
        for (field, actual, wanted) in expected where actual != wanted {
            throw RiskEstimationError(
                code: .invalidState,
                message: "\(field) has \(actual) entries; expected \(wanted) for \(count) assets",
                context: ["field": field, "value": "\(actual)", "expected": "\(wanted)"]
            )
        }
        let capacity = configuration.residualCapacity
        for asset in 0..<count {
            guard (0..<capacity).contains(residualNext[asset]), (0...capacity).contains(residualStored[asset]),
                  returnCount[asset] >= 0 else {
                throw RiskEstimationError(
                    code: .invalidState,
                    message: "asset \(asset) has inconsistent ring positions or return count",
                    context: ["field": "residualNext/residualStored/returnCount", "value": "\(asset)"]
                )
            }
            // Every append advances the ring by one, so the count fixes both ring positions.
            let appended = residualAppendedCount[asset]
            guard UInt64(residualStored[asset]) == min(appended, UInt64(capacity)),
                  UInt64(residualNext[asset]) == appended % UInt64(capacity) else {
                throw RiskEstimationError(
                    code: .invalidState,
                    message: "asset \(asset): residualsAppended \(appended) does not match residualStored "
                        + "\(residualStored[asset]) and residualNext \(residualNext[asset]) (capacity \(capacity))",
                    context: ["field": "residualsAppended", "value": "\(appended)"]
                )
            }
            let stressed = stressedSum[asset] + stressedCompensation[asset]
            guard stressed.isFinite && stressed >= 0 && stressedCompensation[asset].isFinite else {
                throw RiskEstimationError(
                    code: .invalidState,
                    message: "asset \(asset): stressed EWMA sum \(stressed) is not finite and ≥ 0",
                    context: ["field": "stressedSum", "value": "\(stressed)"]
                )
            }
        }
        guard largestMoveAsset >= -1 && largestMoveAsset < count, aheadCount >= 0 && aheadCount <= count else {
            throw RiskEstimationError(
                code: .invalidState,
                message: "largestMoveAsset \(largestMoveAsset) or aheadCount \(aheadCount) out of range",
                context: ["field": "largestMoveAsset/aheadCount", "value": "\(largestMoveAsset)/\(aheadCount)"]
            )
        }
    }
}
