import Foundation
import FulcrumSettings
import FulcrumTestSupport
import RiskEstimation
import Testing

@Suite("EstimatorConfiguration")
struct ConfigurationTests {
    @Test("Defaults are valid and give the documented decay")
    func defaults() throws {
        let configuration = EstimatorConfiguration()
        try configuration.validate()
        #expect(configuration.gridInterval == 1_000_000_000)
        #expect(configuration.lateness == 0)
        #expect(configuration.window == 300)
        #expect(configuration.method == .ewma)
        #expect(configuration.residualCapacity == 10_000)
        #expect(configuration.shrinkage == .none)
        // λ = 2^(−1/60): the weight halves after 60 steps.
        #expect(configuration.decay.isApproximatelyEqual(to: 0.988514020352896, relativeTolerance: 1e-14))
        #expect(configuration.stressedHalfLife == 2_592_000_000_000_000)
        // λ_s = 2^(−1/2592000) = 1 − 2.6741786e-7 (1 − λ_s formed from the rounded λ_s keeps ~9 digits).
        #expect((1 - configuration.stressedDecay).isApproximatelyEqual(to: 2.6741786e-7, relativeTolerance: 1e-8))
    }

    static func bad(_ key: String, _ mutate: (inout EstimatorConfiguration) -> Void) -> (String, EstimatorConfiguration) {
        var configuration = EstimatorConfiguration()
        mutate(&configuration)
        return (key, configuration)
    }

    static let badConfigurations: [(String, EstimatorConfiguration)] = [
        bad("gridInterval") { $0.gridInterval = 0 },
        bad("lateness") { $0.lateness = -1 },
        bad("lateness") { $0.lateness = $0.gridInterval },
        bad("halfLife") { $0.halfLife = 0 },
        bad("window") { $0.window = 0 },
        bad("warmupESS") { $0.warmupESS = .nan },
        bad("warmupESS") { $0.warmupESS = 200 },
        bad("warmupESS") { $0.method = .window; $0.warmupESS = 301 },
        bad("stressedHalfLife") { $0.stressedHalfLife = $0.halfLife - 1 },
        // Window method: warmupESS 100 ≤ window passes, but a 5-step stressed half-life caps its ESS near 14.4.
        bad("stressedHalfLife") {
            $0.method = .window; $0.warmupESS = 100; $0.halfLife = 5_000_000_000; $0.stressedHalfLife = 5_000_000_000
        },
        bad("residualCapacity") { $0.residualCapacity = 0 },
        bad("shrinkage.fixed.intensity") { $0.shrinkage = .fixed(intensity: 1.5, target: .identity) },
        bad("maxCatchUpSteps") { $0.maxCatchUpSteps = 1 },
        bad("correlationAdmission") { $0.correlationAdmission = 1 },
    ]

    @Test("Each bad value is rejected with its key named", arguments: badConfigurations)
    func rejects(key: String, configuration: EstimatorConfiguration) {
        #expect {
            try configuration.validate()
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && !error.value.isEmpty && !error.allowed.isEmpty
                && "\(error)".contains(key)
        }
    }

    static func decode(_ json: String) throws -> EstimatorConfiguration {
        try JSONDecoder().decode(EstimatorConfiguration.self, from: Data(json.utf8))
    }

    @Test("Decoding tolerates missing keys: {} is the default, a single key changes only itself")
    func decodesPartialObjects() throws {
        #expect(try Self.decode("{}") == EstimatorConfiguration())
        var expected = EstimatorConfiguration()
        expected.halfLife = 5_000_000_000
        #expect(try Self.decode(#"{"halfLife": 5000000000}"#) == expected)
        // Decoding does not validate: at a 5-step half-life the default warm-up of 30 is unreachable.
        #expect {
            try Self.decode(#"{"halfLife": 5000000000}"#).validate()
        } throws: { error in
            (error as? ConfigurationError)?.key == "warmupESS"
        }
        expected = EstimatorConfiguration()
        expected.shrinkage = .ledoitWolf(target: .identity)
        expected.method = .window
        #expect(try Self.decode(#"{"shrinkage": {"ledoitWolf": {}}, "method": "window", "unknown": 1}"#) == expected)
        expected = EstimatorConfiguration()
        expected.shrinkage = .fixed(intensity: 0.25, target: .constantCorrelation)
        #expect(try Self.decode(#"{"shrinkage": {"fixed": {"intensity": 0.25, "target": "constantCorrelation"}}}"#)
                == expected)
    }

    @Test("Wrong types and incomplete shrinkage are still rejected", arguments: [
        #"{"window": "many"}"#, #"{"halfLife": 1.5}"#, #"{"method": "garch"}"#, #"{"shrinkage": {}}"#,
        #"{"shrinkage": {"fixed": {"target": "identity"}}}"#, #"{"shrinkage": {"none": {}, "ledoitWolf": {}}}"#,
        #"{"shrinkage": "none"}"#,
    ])
    func rejectsMalformed(json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    @Test("Every key round-trips in the established format")
    func roundTrip() throws {
        var configuration = EstimatorConfiguration()
        configuration.gridInterval = 250_000_000
        configuration.lateness = 10_000_000
        configuration.halfLife = 30_000_000_000
        configuration.stressedHalfLife = 864_000_000_000_000
        configuration.window = 120
        configuration.method = .window
        configuration.warmupESS = 20
        configuration.residualCapacity = 500
        configuration.maxCatchUpSteps = 100
        configuration.correlationAdmission = 0.02
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for shrinkage in [Shrinkage.none, .fixed(intensity: 0.3, target: .identity),
                          .ledoitWolf(target: .constantCorrelation)] {
            configuration.shrinkage = shrinkage
            let data = try encoder.encode(configuration)
            let decoded = try JSONDecoder().decode(EstimatorConfiguration.self, from: data)
            #expect(decoded == configuration)
            #expect(try encoder.encode(decoded) == data)
        }
        let text = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        #expect(text.contains(#""shrinkage":{"ledoitWolf":{"target":"constantCorrelation"}}"#))
        #expect(text.contains(#""stressedHalfLife":864000000000000"#))
        configuration.shrinkage = .none
        #expect(String(decoding: try encoder.encode(configuration), as: UTF8.self).contains(#""shrinkage":{"none":{}}"#))
    }
}
