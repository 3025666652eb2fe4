import FulcrumService
import FulcrumTestSupport
import Logging
import MarginModel
import ServiceLifecycle
import Synchronization
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

/// A service that ignores graceful shutdown and ends only when cancelled.
struct HangingService: Service {
    func run() async throws {
        try await Task.sleep(for: .seconds(3_600))
    }
}

/// A service that ends as soon as graceful shutdown begins.
struct PoliteService: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

/// A one-way flag set from any thread.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Waits until set or `timeout` passes; returns whether it was set.
    func wait(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return isSet
    }
}

@Suite("Shutdown deadline", .serialized, .timeLimit(.minutes(1)))
struct ShutdownDeadlineTests {
    @Test("A service that does not stop makes the deadline expire, and it says so")
    func expiresWhenAServiceHangs() async throws {
        let capture = LogCapture()
        let expired = Flag()
        let deadline = ShutdownDeadline(timeout: .milliseconds(200), logger: capture.logger(),
                                        onExpiry: { expired.set() })
        let group = ServiceGroup(configuration: .init(services: [HangingService(), deadline],
                                                      logger: capture.logger(level: .critical)))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try? await group.run() }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            #expect(try await expired.wait(timeout: .seconds(20)), "the deadline never expired")
            #expect(deadline.isShuttingDown)
            tasks.cancelAll()
        }
        #expect(capture.records.contains { $0.level == .critical && $0.message.contains("did not finish in time") })
    }

    @Test("A shutdown that finishes disarms the deadline, which ends its timer at once")
    func disarmedAfterCleanShutdown() async throws {
        let expired = Flag()
        let deadline = ShutdownDeadline(timeout: .seconds(600), logger: Logger(label: "test"),
                                        onExpiry: { expired.set() })
        let group = ServiceGroup(configuration: .init(services: [PoliteService(), deadline],
                                                      logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
                deadline.disarm()
            }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(deadline.isShuttingDown)
        let start = ContinuousClock.now
        while !deadline.isTimerEnded, ContinuousClock.now - start < .seconds(60) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(deadline.isTimerEnded, "the timer kept running after disarm()")
        #expect(!expired.isSet, "expired although the shutdown finished")
    }
}
