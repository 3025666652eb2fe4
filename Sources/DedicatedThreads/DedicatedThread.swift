import Foundation

/// Runs blocking work on its own OS thread and lets async code await its end.
///
/// Blocking libzmq calls must never occupy the cooperative thread pool; every I/O loop runs
/// through this type instead of a `Task`.
public enum DedicatedThread {
    /// Starts `body` on a new thread named `name` and suspends until it returns or throws.
    public static func run<T: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = name
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Starts `body` on a new detached thread named `name` without waiting for it.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
