import FulcrumService
import FulcrumTestSupport
import Testing
@testable import FulcrumEngine

@Suite("The engine's observable status")
struct EngineStatusTests {
    @Test("The snapshot's correlations cover the first correlationLimit assets, row-major")
    func correlationLimit() throws {
        var engine = try RiskEngine(configuration: FulcrumConfiguration.smallEngine().engine, epoch: 1)
        try WireEncodingTests.drive(&engine, steps: 0..<40, seed: 5) { _ in }
        let full = EngineStatus()
        full.publish(engine)
        let all = full.snapshot
        #expect(all.correlationDimension == 2)
        #expect(all.correlation == [0, 1, 2, 3].map { engine.estimator.correlation($0 / 2, $0 % 2) })
        #expect(all.correlation[1] != 0 && all.correlation[1] == all.correlation[2])
        let limited = EngineStatus(correlationLimit: 1)
        limited.publish(engine)
        #expect(limited.snapshot.correlationDimension == 1 && limited.snapshot.correlation == [1])
        #expect(limited.snapshot.symbols == ["AAA", "BBB"])
        let none = EngineStatus(correlationLimit: 0)
        none.publish(engine)
        #expect(none.snapshot.correlationDimension == 0 && none.snapshot.correlation.isEmpty)
    }
}
