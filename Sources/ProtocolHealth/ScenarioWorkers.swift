import Foundation
import Synchronization

/// Runs a stress run's cascades on dedicated threads: the calling thread and `threads − 1` plain OS threads, never
/// the Swift concurrency pool (each cascade is milliseconds of CPU, a stress run seconds). Workers take the next
/// scenario from a shared counter, each with its own ``CascadeScratch``, and file every outcome under its scenario
/// index, so that the outcomes come back in scenario order and are the serial run's, bit for bit, whatever the
/// number of threads: a cascade reads only the shared, immutable ``LiquidationCascade`` and its own scratch.
enum ScenarioWorkers {
    /// The default thread count: the active processors, at most ``maximumThreads``.
    static var defaultThreads: Int { min(max(1, ProcessInfo.processInfo.activeProcessorCount), maximumThreads) }

    /// Most threads a stress run uses.
    static let maximumThreads = 64

    /// The outcome of every scenario of `shocks` under `cascade`, in scenario order, computed on `threads` threads
    /// (at most one per scenario).
    ///
    /// - Throws: the ``HealthError`` of the first scenario (in scenario order) that does not fit the markets.
    static func run(_ cascade: LiquidationCascade, _ shocks: [[Double]], threads: Int)
        throws(HealthError) -> [CascadeOutcome] {
        let threads = min(max(1, threads), maximumThreads, shocks.count)
        guard threads > 1 else {
            var scratch = CascadeScratch(for: cascade)
            var outcomes: [CascadeOutcome] = []
            outcomes.reserveCapacity(shocks.count)
            for shock in shocks { outcomes.append(try cascade.run(shocks: shock, scratch: &scratch)) }
            return outcomes
        }
        let work = Work(count: shocks.count)
        let finished = DispatchSemaphore(value: 0)
        for index in 1..<threads {
            let thread = Thread {
                work.drain(cascade, shocks)
                finished.signal()
            }
            thread.name = "stress-\(index)"
            thread.start()
        }
        work.drain(cascade, shocks)
        for _ in 1..<threads { finished.wait() }
        return try work.outcomes()
    }

    /// What the workers share: the next scenario to take and the outcomes filed so far.
    private final class Work: Sendable {
        private let next = Atomic<Int>(0)
        /// Set when a scenario failed: workers take no further scenario (the ones before it are all taken).
        private let failed = Atomic<Bool>(false)
        private let results: Mutex<[Result<CascadeOutcome, HealthError>?]>

        init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }

        /// Runs scenarios until none is left (or one failed).
        func drain(_ cascade: LiquidationCascade, _ shocks: [[Double]]) {
            var scratch = CascadeScratch(for: cascade)
            while !failed.load(ordering: .relaxed) {
                let scenario = next.add(1, ordering: .relaxed).oldValue
                guard scenario < shocks.count else { return }
                let result: Result<CascadeOutcome, HealthError>
                do throws(HealthError) {
                    result = .success(try cascade.run(shocks: shocks[scenario], scratch: &scratch))
                } catch {
                    result = .failure(error)
                    failed.store(true, ordering: .relaxed)
                }
                results.withLock { $0[scenario] = result }
            }
        }

        /// The outcomes in scenario order, or the first failure in that order. Every scenario before a failed one
        /// was taken (the counter only grows) and so has its result.
        func outcomes() throws(HealthError) -> [CascadeOutcome] {
            let filed = results.withLock { $0 }
            var outcomes: [CascadeOutcome] = []
            outcomes.reserveCapacity(filed.count)
            for result in filed {
                switch result {
                case .success(let outcome): outcomes.append(outcome)
                case .failure(let error): throw error
                case nil: preconditionFailure("a scenario was neither run nor preceded by a failure")
                }
            }
            return outcomes
        }
    }
}
