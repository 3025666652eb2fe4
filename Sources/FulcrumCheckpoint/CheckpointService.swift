import DedicatedThreads
import ServiceLifecycle

/// The checkpoint writer's thread as a lifecycle service. Listed before the engine so that, shutting down in
/// reverse order, it outlives the engine's final update.
public struct CheckpointService: Service {
    let writer: CheckpointWriter

    /// A service running `writer`.
    public init(writer: CheckpointWriter) {
        self.writer = writer
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-checkpoint") { [writer] stop in writer.run(until: stop) }
    }
}
