import ServiceLifecycle

/// Runs a blocking loop as a lifecycle service: on its own thread, stopped by graceful shutdown or cancellation
/// through a ``StopSignal`` that the loop checks between bounded polls.
///
/// The one way Fulcrum runs blocking work: the loop never occupies a thread of the cooperative pool, and neither
/// does stopping it.
public enum DedicatedService {
    /// Runs `body` on a new thread named `name` until it returns; graceful shutdown or cancellation of the calling
    /// task sets `stop`.
    ///
    /// - Parameters:
    ///   - stop: the signal handed to `body`; pass one you keep to stop the loop from elsewhere too.
    ///   - wake: for a loop that blocks where it cannot poll `stop` (`zmq_proxy`), what makes it return; it may
    ///     block, so it runs on a thread of its own, after `stop` is set.
    public static func run(name: String, stop: StopSignal = StopSignal(), wake: (@Sendable () -> Void)? = nil,
                           _ body: @escaping @Sendable (StopSignal) throws -> Void) async throws {
        @Sendable func requestStop() {
            stop.stop()
            if let wake { DedicatedThread.start(name: "\(name)-stop", wake) }
        }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await DedicatedThread.run(name: name) { try body(stop) }
            } onGracefulShutdown: {
                requestStop()
            }
        } onCancel: {
            requestStop()
        }
    }
}
