import ServiceLifecycle

/// Runs a blocking loop as a lifecycle service: on its own thread, stopped by graceful shutdown
/// or cancellation through a ``StopSignal`` that the loop checks between bounded polls.
public enum DedicatedService {
    /// Runs `body` on a new thread named `name` until it returns; graceful shutdown or cancellation of the
    /// calling task sets the ``StopSignal`` it is given.
    public static func run(name: String, _ body: @escaping @Sendable (StopSignal) throws -> Void) async throws {
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
