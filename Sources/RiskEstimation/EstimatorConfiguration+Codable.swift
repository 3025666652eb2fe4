extension EstimatorConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case gridInterval, lateness, halfLife, stressedHalfLife, window, method, warmupESS, residualCapacity
        case shrinkage, maxCatchUpSteps, correlationAdmission, correlationModel
    }

    /// Decodes a configuration in which every key is optional: a missing key takes its documented default (that of
    /// `init()`), so a configuration file names only what differs. A present key must have the right type; unknown
    /// keys are ignored, and the values are not validated here (call `validate()`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func value<Value: Decodable>(_ key: CodingKeys, _ current: Value) throws -> Value {
            try container.decodeIfPresent(Value.self, forKey: key) ?? current
        }
        gridInterval = try value(.gridInterval, gridInterval)
        lateness = try value(.lateness, lateness)
        halfLife = try value(.halfLife, halfLife)
        stressedHalfLife = try value(.stressedHalfLife, stressedHalfLife)
        window = try value(.window, window)
        method = try value(.method, method)
        warmupESS = try value(.warmupESS, warmupESS)
        residualCapacity = try value(.residualCapacity, residualCapacity)
        shrinkage = try value(.shrinkage, shrinkage)
        maxCatchUpSteps = try value(.maxCatchUpSteps, maxCatchUpSteps)
        correlationAdmission = try value(.correlationAdmission, correlationAdmission)
        correlationModel = try value(.correlationModel, correlationModel)
    }

    /// Encodes every key (so a checkpoint records the complete configuration).
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, omittingFullCorrelationModel: false)
    }

    /// Encodes every key, except `correlationModel` when it is `.full` and `omittingFullCorrelationModel` is set:
    /// the estimator's checkpoint stores its configuration so, and a full-mode state keeps the exact bytes it had
    /// before the key existed (decoding takes the missing key as `.full`).
    func encode(to encoder: any Encoder, omittingFullCorrelationModel: Bool) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gridInterval, forKey: .gridInterval)
        try container.encode(lateness, forKey: .lateness)
        try container.encode(halfLife, forKey: .halfLife)
        try container.encode(stressedHalfLife, forKey: .stressedHalfLife)
        try container.encode(window, forKey: .window)
        try container.encode(method, forKey: .method)
        try container.encode(warmupESS, forKey: .warmupESS)
        try container.encode(residualCapacity, forKey: .residualCapacity)
        try container.encode(shrinkage, forKey: .shrinkage)
        try container.encode(maxCatchUpSteps, forKey: .maxCatchUpSteps)
        try container.encode(correlationAdmission, forKey: .correlationAdmission)
        if !(omittingFullCorrelationModel && correlationModel == .full) {
            try container.encode(correlationModel, forKey: .correlationModel)
        }
    }
}
