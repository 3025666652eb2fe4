import Foundation

/// Wall-clock time for receipt timestamps (event time comes from the ticks themselves).
public enum WallClock {
    /// The real-time clock, ns since the Unix epoch.
    public static var now: Int64 { nanoseconds(CLOCK_REALTIME) }

    /// A reading of `clock` in nanoseconds.
    public static func nanoseconds(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
