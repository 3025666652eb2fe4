#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The clock of every `_ns` timestamp Fulcrum writes or reads: nanoseconds since the Unix epoch, as the wire
/// contract defines them (receipt times, heartbeats, recordings, checkpoints). Durations and deadlines inside a
/// process use `ContinuousClock`, which never jumps.
public enum WallClock {
    /// The real-time clock, ns since the Unix epoch.
    public static var now: Int64 { nanoseconds(CLOCK_REALTIME) }

    /// The monotonic clock, ns since an arbitrary origin: for timing work in integer nanoseconds.
    public static var monotonic: Int64 { nanoseconds(CLOCK_MONOTONIC) }

    /// A reading of `clock` in nanoseconds.
    static func nanoseconds(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
