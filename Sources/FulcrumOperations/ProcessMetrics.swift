import Foundation
import Metrics

/// The standard Prometheus process metrics (the names every Prometheus client library exports):
/// `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`,
/// `process_open_fds`, `process_max_fds` and `process_start_time_seconds`, read from `/proc/self` at each
/// refresh. On a system without `/proc` nothing is recorded.
struct ProcessMetrics {
    /// One reading of `/proc/self`.
    struct Sample: Equatable {
        var cpuSeconds: Double
        var residentBytes: Double
        var virtualBytes: Double
        var startTimeSeconds: Double
        var openDescriptors: Double
        var maximumDescriptors: Double
    }

    let cpu: FloatingPointCounter
    let resident: Gauge
    let virtual: Gauge
    let openDescriptors: Gauge
    let maximumDescriptors: Gauge
    let startTime: Gauge
    var countedCPU = 0.0

    init(factory: any MetricsFactory) {
        cpu = FloatingPointCounter(label: MetricsName.processCPU, factory: factory)
        resident = Gauge(label: MetricsName.processResident, factory: factory)
        virtual = Gauge(label: MetricsName.processVirtual, factory: factory)
        openDescriptors = Gauge(label: MetricsName.processOpenDescriptors, factory: factory)
        maximumDescriptors = Gauge(label: MetricsName.processMaximumDescriptors, factory: factory)
        startTime = Gauge(label: MetricsName.processStartTime, factory: factory)
    }

    /// Reads `/proc/self` and records it; the CPU counter moves by the difference since the last reading.
    mutating func refresh() {
        guard let sample = Self.read() else { return }
        cpu.increment(by: max(sample.cpuSeconds - countedCPU, 0))
        countedCPU = max(countedCPU, sample.cpuSeconds)
        resident.record(sample.residentBytes)
        virtual.record(sample.virtualBytes)
        openDescriptors.record(sample.openDescriptors)
        maximumDescriptors.record(sample.maximumDescriptors)
        startTime.record(sample.startTimeSeconds)
    }

    /// `/proc/self/stat` (proc(5): utime and stime in clock ticks, fields 14–15; starttime in ticks after boot,
    /// field 22; vsize in bytes, 23; rss in pages, 24), boot time from `/proc/stat`, descriptors from
    /// `/proc/self/fd` and `RLIMIT_NOFILE`.
    static func read() -> Sample? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which may itself hold spaces and parentheses: index 0 is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK))), page = Double(sysconf(Int32(_SC_PAGESIZE)))
        guard let user = field(14), let system = field(15), let started = field(22), let virtual = field(23),
              let resident = field(24), ticks > 0 else { return nil }
        let boot = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("btime ") }
            .flatMap { Double($0.dropFirst(6)) } ?? 0
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        let maximum = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Double(limit.rlim_cur) : 0
        return Sample(cpuSeconds: (user + system) / ticks, residentBytes: resident * page, virtualBytes: virtual,
                      startTimeSeconds: boot + started / ticks, openDescriptors: Double(descriptors),
                      maximumDescriptors: maximum)
    }
}
