extension Shrinkage: Codable {
    enum CodingKeys: String, CodingKey {
        case none, fixed, ledoitWolf
    }

    enum ParameterKeys: String, CodingKey {
        case intensity, target
    }

    /// Decodes `{"<case>": {…}}`, the object naming exactly one case. `target` may be omitted and is then
    /// `.identity`; `intensity` is required for `fixed` (it has no neutral default). Unknown keys are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.typeMismatch(Shrinkage.self, DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: "expected an object with exactly one of the keys none, fixed, ledoitWolf"))
        }
        let parameters = try container.nestedContainer(keyedBy: ParameterKeys.self, forKey: key)
        func target() throws -> ShrinkageTarget {
            try parameters.decodeIfPresent(ShrinkageTarget.self, forKey: .target) ?? .identity
        }
        switch key {
        case .none:
            self = .none
        case .fixed:
            self = .fixed(intensity: try parameters.decode(Double.self, forKey: .intensity), target: try target())
        case .ledoitWolf:
            self = .ledoitWolf(target: try target())
        }
    }

    /// Encodes `{"<case>": {…}}` with every parameter present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .none:
            _ = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .none)
        case .fixed(let intensity, let target):
            var parameters = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .fixed)
            try parameters.encode(intensity, forKey: .intensity)
            try parameters.encode(target, forKey: .target)
        case .ledoitWolf(let target):
            var parameters = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .ledoitWolf)
            try parameters.encode(target, forKey: .target)
        }
    }
}
