import Synchronization

/// A one-way flag that asks a dedicated I/O thread to finish its loop.
///
/// Loops check it between bounded polls, so a stop takes effect within one poll timeout.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset signal.
    public init() {}

    /// Asks the loop to stop.
    public func stop() { flag.store(true, ordering: .releasing) }

    /// Whether ``stop()`` was called.
    public var isStopped: Bool { flag.load(ordering: .acquiring) }
}
