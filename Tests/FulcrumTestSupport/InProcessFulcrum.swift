import FulcrumService
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit

/// Runs a whole Fulcrum application inside the test process, with real sockets and its real HTTP endpoint,
/// and stops it the way SIGTERM does: through a graceful shutdown (swift-service-lifecycle's test kit), so the
/// engine's final update, the final checkpoint and the publisher's linger all happen as in the binary.
///
/// Use it wherever processes are not the point; spawn the built binary only to test signals, exit codes,
/// crashes or other languages.
public enum InProcessFulcrum {
    /// Starts `configuration`, runs `body` while the application runs, then shuts it down gracefully and waits
    /// for every service to end. An error of the application (a port in use, a bad key file) is rethrown after
    /// `body` has returned or thrown.
    ///
    /// - Parameter body: receives the running application (its status, metrics and configuration).
    public static func run<Result: Sendable>(
        _ configuration: FulcrumConfiguration, logger: Logger = Logger(label: "fulcrum.test"),
        _ body: @Sendable (FulcrumApplication) async throws -> Result
    ) async throws -> Result {
        let application = try FulcrumApplication(configuration: configuration, logger: logger)
        return try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let running = application
                group.addTask { try await running.run() }
                let outcome: Swift.Result<Result, any Error>
                do { outcome = .success(try await body(application)) } catch { outcome = .failure(error) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
                return try outcome.get()
            }
        }
    }
}
