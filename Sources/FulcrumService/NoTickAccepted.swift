import MarketData

/// A run that received messages and accepted none of them: the usual sign of a configuration that does not fit the
/// data (old ticks replayed past `ingest.validation.maximumAge`, a wrong allow-list or topic keys). The run ends
/// with this error, so that the process exits non-zero and says what to change, rather than succeeding silently.
public struct NoTickAccepted: Error, CustomStringConvertible, Sendable {
    /// Messages received over all feeds.
    public var received: UInt64
    /// The most frequent rejection reasons with their counts, most frequent first (at most three).
    public var topReasons: [(reason: RejectionReason, count: UInt64)]

    /// The shortfall of `totals`, or `nil` when a tick was accepted or nothing was received.
    public init?(totals: IngestCounters) {
        guard totals.received > 0, totals.accepted == 0 else { return nil }
        received = totals.received
        var counted: [(reason: RejectionReason, count: UInt64)] = []
        for reason in RejectionReason.allCases where totals[reason] > 0 { counted.append((reason, totals[reason])) }
        // Most frequent first; ties in the reasons' fixed order, so that the line is deterministic.
        counted.sort { first, second in
            first.count != second.count ? first.count > second.count : first.reason.rawValue < second.reason.rawValue
        }
        topReasons = Array(counted.prefix(3))
    }

    /// One line: the counts, and for each top reason the setting that decides it, if any.
    public var description: String {
        let reasons = topReasons.map { item in
            "\(item.reason.metricName)=\(item.count)" + (item.reason.configurationHint.map { " (\($0))" } ?? "")
        }
        return "no tick accepted of \(received) received; top rejections: "
            + (reasons.isEmpty ? "none (every message ignored)" : reasons.joined(separator: "; "))
    }
}
