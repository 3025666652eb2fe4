import Dispatch
import Synchronization

/// A bounded first-in, first-out hand-off from one producing thread to one consuming thread, for work that must
/// stay in order (grid steps). The producer waits only while the queue is full, and counts those waits.
///
/// Two counting semaphores (free and filled slots) around a ring under a mutex: each side sleeps in the kernel
/// instead of spinning, and the mutex is held only to move one element.
final class StepQueue<Element: Sendable>: Sendable {
    private struct Ring {
        var slots: [Element?]
        var head = 0
        var count = 0
    }

    /// Most elements held.
    let capacity: Int
    private let ring: Mutex<Ring>
    // Both start at 0 and `free` is raised to `capacity` in `init`: libdispatch traps when a semaphore is released
    // holding less than its initial value, which a queue dropped with elements in it would.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let waits = Atomic<UInt64>(0)

    /// An empty queue of `capacity` (≥ 1) slots.
    init(capacity: Int) {
        precondition(capacity >= 1, "a step queue needs a slot")
        self.capacity = capacity
        ring = Mutex(Ring(slots: Array(repeating: nil, count: capacity)))
        for _ in 0..<capacity { free.signal() }
    }

    /// Appends `element`, waiting while the queue is full.
    func put(_ element: Element) {
        if free.wait(timeout: .now()) == .timedOut {
            waits.add(1, ordering: .relaxed)
            free.wait()
        }
        ring.withLock { ring in
            ring.slots[(ring.head + ring.count) % ring.slots.count] = element
            ring.count += 1
        }
        filled.signal()
    }

    /// Removes the oldest element, waiting for one at most `timeout`; `nil` when none came.
    func take(timeout: DispatchTimeInterval) -> Element? {
        guard filled.wait(timeout: .now() + timeout) == .success else { return nil }
        let element = ring.withLock { ring -> Element? in
            let element = ring.slots[ring.head].take()
            ring.head = (ring.head + 1) % ring.slots.count
            ring.count -= 1
            return element
        }
        free.signal()
        return element
    }

    /// Elements waiting now.
    var depth: Int { ring.withLock { $0.count } }

    /// Times ``put(_:)`` found the queue full.
    var fullWaits: UInt64 { waits.load(ordering: .relaxed) }
}
