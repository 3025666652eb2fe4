import Foundation
import Synchronization
import Testing
@testable import FulcrumService

@Suite("Step queue: in order across threads, bounded, its full waits counted")
struct StepQueueTests {
    @Test("A consumer thread takes every element in the order put, through a queue much smaller than the stream")
    func order() async throws {
        let queue = StepQueue<Int>(capacity: 3)
        let taken = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        let consumer = Thread {
            while taken.withLock({ $0.count }) < 10_000 {
                if let value = queue.take(timeout: .seconds(5)) { taken.withLock { $0.append(value) } } else { break }
            }
            done.signal()
        }
        consumer.start()
        for value in 0..<10_000 { queue.put(value) }
        done.wait()
        #expect(taken.withLock { $0 } == Array(0..<10_000))
        #expect(queue.depth == 0)
    }

    @Test("The producer waits only when the queue is full, and each wait is counted once")
    func fullWaits() async throws {
        let queue = StepQueue<Int>(capacity: 2)
        queue.put(1)
        queue.put(2)
        #expect(queue.fullWaits == 0 && queue.depth == 2)
        let finished = DispatchSemaphore(value: 0)
        let producer = Thread {
            queue.put(3)  // full: waits until the consumer below takes one
            finished.signal()
        }
        producer.start()
        #expect(finished.wait(timeout: .now() + .milliseconds(200)) == .timedOut, "put into a full queue returned")
        #expect(queue.take(timeout: .seconds(1)) == 1)
        #expect(finished.wait(timeout: .now() + .seconds(5)) == .success)
        #expect(queue.fullWaits == 1)
        #expect(queue.take(timeout: .seconds(1)) == 2 && queue.take(timeout: .seconds(1)) == 3)
        #expect(queue.take(timeout: .milliseconds(20)) == nil, "an empty queue answers nil after its timeout")
    }
}
