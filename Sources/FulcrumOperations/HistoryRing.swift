/// A sample of a bounded history: something stamped with an event time.
protocol HistoryPoint: Sendable {
    /// Event time of the sample, ns since the Unix epoch.
    var timeNs: Int64 { get }
}

/// The last hour of one series in ``ParameterHistory/capacity`` buckets of ``ParameterHistory/bucket`` (30 s):
/// each bucket keeps the last sample taken in it, and once the ring is full the oldest bucket makes room. Shared
/// by ``ParameterHistory`` (per asset) and ``HealthHistory`` (the protocol's).
struct HistoryRing<Point: HistoryPoint>: Sendable {
    var points: [Point] = []
    /// Index of the oldest point once the ring is full.
    var head = 0

    mutating func record(_ point: Point) {
        if let last = newest, last.timeNs / ParameterHistory.bucket == point.timeNs / ParameterHistory.bucket {
            points[(head + points.count - 1) % points.count] = point  // the bucket keeps its last sample
        } else if points.count < ParameterHistory.capacity {
            points.append(point)
        } else {
            points[head] = point
            head = (head + 1) % points.count
        }
    }

    var newest: Point? { points.isEmpty ? nil : points[(head + points.count - 1) % points.count] }

    var ordered: [Point] { Array(points[head...] + points[..<head]) }

    /// The points, oldest first, within ``ParameterHistory/window`` of the newest.
    var lastWindow: [Point] {
        let points = ordered
        guard let newest = points.last?.timeNs else { return [] }
        return points.filter { $0.timeNs > newest - ParameterHistory.window }
    }
}
