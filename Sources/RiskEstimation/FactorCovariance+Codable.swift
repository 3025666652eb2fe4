extension FactorCovariance: Codable {
    enum CodingKeys: String, CodingKey {
        case configuration, loadings, factorVariances, rank, gridWeight, ownSum, ownWeight, returnCount, steps
        case invalidReturns, stepsSinceOrthonormalization
    }

    /// Encodes the complete state (a checkpoint). The per-asset explained variances are derived and not stored:
    /// decoding recomputes them with the same arithmetic, so a restored model is bit-identical to the original
    /// and evolves identically. With JSON, all stored doubles are finite.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(loadings, forKey: .loadings)
        try container.encode(factorVariances, forKey: .factorVariances)
        try container.encode(activeCount, forKey: .rank)
        try container.encode(gridWeight, forKey: .gridWeight)
        try container.encode(ownSum, forKey: .ownSum)
        try container.encode(ownWeight, forKey: .ownWeight)
        try container.encode(ownReturnCount, forKey: .returnCount)
        try container.encode(steps, forKey: .steps)
        try container.encode(invalidReturnCount, forKey: .invalidReturns)
        try container.encode(stepsSinceOrthonormalization, forKey: .stepsSinceOrthonormalization)
    }

    /// Restores a state written by `encode(to:)`. Throws a `ConfigurationError` if the configuration is invalid,
    /// or `RiskEstimationError.invalidState`, naming the field, if the arrays do not fit together or hold values
    /// the update could not have produced.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let configuration = try container.decode(FactorConfiguration.self, forKey: .configuration)
        try configuration.validate()
        self.init(configuration: configuration, assetCount: 0)
        loadings = try container.decode([Double].self, forKey: .loadings)
        factorVariances = try container.decode([Double].self, forKey: .factorVariances)
        activeCount = try container.decode(Int.self, forKey: .rank)
        gridWeight = try container.decode(Double.self, forKey: .gridWeight)
        ownSum = try container.decode([Double].self, forKey: .ownSum)
        ownWeight = try container.decode([Double].self, forKey: .ownWeight)
        ownReturnCount = try container.decode([Int64].self, forKey: .returnCount)
        steps = try container.decode(Int64.self, forKey: .steps)
        invalidReturnCount = try container.decode(Int64.self, forKey: .invalidReturns)
        stepsSinceOrthonormalization = try container.decode(Int.self, forKey: .stepsSinceOrthonormalization)
        try validateState()
        let count = ownSum.count
        explained = Array(repeating: 0, count: count)
        stepReturns = Array(repeating: 0, count: count)
        residual = Array(repeating: 0, count: count)
        refreshExplained()
    }

    private func validateState() throws {
        let count = ownSum.count
        let k = configuration.factors
        func fail(_ field: String, _ message: String, _ value: String) -> RiskEstimationError {
            RiskEstimationError(code: .invalidState, message: message, context: ["field": field, "value": value])
        }
        let expected: [(String, Int, Int)] = [
            ("loadings", loadings.count, count * k), ("factorVariances", factorVariances.count, k),
            ("ownWeight", ownWeight.count, count), ("returnCount", ownReturnCount.count, count),
        ]
        for (field, actual, wanted) in expected where actual != wanted {
            throw fail(field, "\(field) has \(actual) entries; expected \(wanted) for \(count) assets", "\(actual)")
        }
        guard (0...k).contains(activeCount) else {
            throw fail("rank", "rank \(activeCount) is outside 0...\(k)", "\(activeCount)")
        }
        for factor in 0..<k {
            let value = factorVariances[factor]
            let valid = factor < activeCount
                ? value.isFinite && value >= Double.leastNormalMagnitude
                    && (factor == 0 || value <= factorVariances[factor - 1])
                : value == 0
            guard valid else {
                throw fail("factorVariances", "factor variance \(factor) = \(value) is not a descending positive "
                           + "value within the rank \(activeCount) (and 0 beyond it)", "\(value)")
            }
        }
        guard loadings.allSatisfy({ $0.isFinite && abs($0) <= 2 }) else {
            throw fail("loadings", "a loading is not finite or exceeds 2 in magnitude (columns are unit vectors)", "")
        }
        guard gridWeight.isFinite && gridWeight >= 0 && gridWeight <= 1 + 1e-12 else {
            throw fail("gridWeight", "gridWeight \(gridWeight) is outside [0, 1]", "\(gridWeight)")
        }
        for asset in 0..<count {
            guard ownSum[asset].isFinite && ownSum[asset] >= 0, ownWeight[asset].isFinite, ownWeight[asset] >= 0,
                  ownWeight[asset] <= 1 + 1e-12, ownReturnCount[asset] >= 0 else {
                throw fail("ownSum/ownWeight/returnCount", "asset \(asset) has an invalid own variance state",
                           "\(asset)")
            }
        }
        guard steps >= 0, invalidReturnCount >= 0, stepsSinceOrthonormalization >= 0 else {
            throw fail("steps/invalidReturns/stepsSinceOrthonormalization", "negative counter", "")
        }
    }
}
