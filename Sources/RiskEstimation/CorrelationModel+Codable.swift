extension CorrelationModel: Codable {
    enum CodingKeys: String, CodingKey {
        case full, factors
    }

    enum ParameterKeys: String, CodingKey {
        case factors, orthonormalizationPeriod, idiosyncraticFloor
    }

    /// Decodes `{"<case>": {…}}`, the object naming exactly one case. For `factors` every parameter may be omitted
    /// and then takes ``FactorConfiguration``'s default; a `decay` key, like any unknown key, is ignored (the
    /// estimator's own λ applies). Values are not validated here (`EstimatorConfiguration.validate()` does).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.typeMismatch(CorrelationModel.self, DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: "expected an object with exactly one of the keys full, factors"))
        }
        let parameters = try container.nestedContainer(keyedBy: ParameterKeys.self, forKey: key)
        switch key {
        case .full:
            self = .full
        case .factors:
            var configuration = FactorConfiguration()
            configuration.factors = try parameters.decodeIfPresent(Int.self, forKey: .factors) ?? configuration.factors
            configuration.orthonormalizationPeriod = try parameters.decodeIfPresent(
                Int.self, forKey: .orthonormalizationPeriod) ?? configuration.orthonormalizationPeriod
            configuration.idiosyncraticFloor = try parameters.decodeIfPresent(
                Double.self, forKey: .idiosyncraticFloor) ?? configuration.idiosyncraticFloor
            self = .factors(configuration)
        }
    }

    /// Encodes `{"<case>": {…}}` with every parameter present except the ignored decay.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .full:
            _ = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .full)
        case .factors(let configuration):
            var parameters = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .factors)
            try parameters.encode(configuration.factors, forKey: .factors)
            try parameters.encode(configuration.orthonormalizationPeriod, forKey: .orthonormalizationPeriod)
            try parameters.encode(configuration.idiosyncraticFloor, forKey: .idiosyncraticFloor)
        }
    }
}
