import Foundation

/// CLOCK_REALTIME in nanoseconds: the clock the load generator stamps sends with and the sink stamps receipts
/// with. Both run on the same machine, so their differences are latencies.
enum WallClock {
    static var now: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// Sleeps for about `nanoseconds` (at least the scheduler's granularity).
    static func sleep(nanoseconds: Int64) {
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}
