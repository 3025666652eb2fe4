import DedicatedThreads
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Bounds how long a shutdown may take.
///
/// Added last to the service group, it is the first to hear of a graceful shutdown (services stop in reverse
/// order): it marks the process as shutting down (`/ready` fails from then on), starts a timer on its own
/// thread and returns. If the process is still running when the timer ends — some service did not finish — it
/// logs which deadline passed and calls `onExpiry`, by default exiting with status 1 so the supervisor sees a
/// failed stop rather than waiting for its own kill timer. A normal shutdown calls ``disarm()``, which ends the
/// timer at once.
public final class ShutdownDeadline: Service, Sendable {
    /// The longest a shutdown may take, from the signal to the exit.
    public let timeout: Duration
    let logger: Logger
    let onExpiry: @Sendable () -> Void
    private let started = Atomic<Bool>(false)
    private let disarmed = Atomic<Bool>(false)
    private let timerEnded = Atomic<Bool>(false)
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Creates the deadline.
    ///
    /// - Parameter onExpiry: what to do when the deadline passes; the default flushes output and exits with 1.
    public init(timeout: Duration, logger: Logger, onExpiry: (@Sendable () -> Void)? = nil) {
        self.timeout = timeout
        self.logger = logger
        self.onExpiry = onExpiry ?? {
            fflush(nil)
            _exit(1)
        }
    }

    /// Whether a shutdown has begun.
    public var isShuttingDown: Bool { started.load(ordering: .acquiring) }

    /// Whether the timer has ended, by expiring or by ``disarm()``.
    public var isTimerEnded: Bool { timerEnded.load(ordering: .acquiring) }

    /// Waits for graceful shutdown (or cancellation), then starts the timer.
    public func run() async throws {
        try? await gracefulShutdown()
        begin()
    }

    /// Starts the timer (once).
    public func begin() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        logger.info("shutting down", metadata: ["fulcrum.shutdown.timeout": "\(timeout)"])
        let parts = timeout.components
        let nanoseconds = max(parts.seconds, 0) * 1_000_000_000 + parts.attoseconds / 1_000_000_000
        DedicatedThread.start(name: "fulcrum-shutdown-deadline") { [self] in
            defer { timerEnded.store(true, ordering: .releasing) }
            let woken = wakeUp.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success
            guard !woken, !disarmed.load(ordering: .acquiring) else { return }
            logger.critical("shutdown did not finish in time; exiting",
                            metadata: ["fulcrum.shutdown.timeout": "\(timeout)"])
            onExpiry()
        }
    }

    /// Cancels the timer: the shutdown finished.
    public func disarm() {
        guard !disarmed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeUp.signal()
    }
}
