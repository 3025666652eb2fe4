extension FactorConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case factors, decay, orthonormalizationPeriod, idiosyncraticFloor
    }

    /// Decodes a configuration in which every key is optional: a missing key takes its documented default. A
    /// present key must have the right type; the values are not validated here (call `validate()`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? factors
        decay = try container.decodeIfPresent(Double.self, forKey: .decay) ?? decay
        orthonormalizationPeriod = try container.decodeIfPresent(Int.self, forKey: .orthonormalizationPeriod)
            ?? orthonormalizationPeriod
        idiosyncraticFloor = try container.decodeIfPresent(Double.self, forKey: .idiosyncraticFloor)
            ?? idiosyncraticFloor
    }

    /// Encodes every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(factors, forKey: .factors)
        try container.encode(decay, forKey: .decay)
        try container.encode(orthonormalizationPeriod, forKey: .orthonormalizationPeriod)
        try container.encode(idiosyncraticFloor, forKey: .idiosyncraticFloor)
    }
}
