import ServiceLifecycle
import ZeroMQ

/// Runs a blocking loop as a lifecycle service: on its own thread, stopped by graceful shutdown
/// or cancellation through a ``StopSignal`` that the loop checks between bounded polls.
enum DedicatedService {
    static func run(name: String, _ body: @escaping @Sendable (StopSignal) throws -> Void) async throws {
        let stop = StopSignal()
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await DedicatedThread.run(name: name) { try body(stop) }
            } onGracefulShutdown: {
                stop.stop()
            }
        } onCancel: {
            stop.stop()
        }
    }
}
