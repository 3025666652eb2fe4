import FulcrumProtocol
import Synchronization

/// The last hour of the protocol's bad debt at risk, expected shortfall, liquidations at risk and coverage ratio,
/// for the dashboard's health sparklines: one ``HistoryRing`` like each asset's in ``ParameterHistory`` (120
/// buckets of 30 s, each keeping its last sample, stamped with the message's `as_of_ns`), so memory is bounded
/// by 120 × ``Point``'s stride (72 bytes: under 9 KB) whatever the health interval or the uptime.
public final class HealthHistory: Sendable {
    /// One health message's figures.
    public struct Point: Sendable, Codable, Hashable, HistoryPoint {
        /// The message's grid boundary (`as_of_ns`, event time), ns since the Unix epoch.
        public var timeNs: Int64
        /// Bad debt at risk (VaR of insolvency).
        public var badDebtAtRisk: Double?
        /// Expected shortfall of the bad debt.
        public var badDebtExpectedShortfall: Double?
        /// Liquidations at risk.
        public var liquidationsAtRisk: Double?
        /// Insurance fund / bad debt at risk; `nil` when infinite (no bad debt at risk).
        public var coverageRatio: Double?
    }

    private let ring = Mutex(HistoryRing<Point>())

    /// An empty history.
    public init() {}

    /// Records `message` (nothing when its time is before the newest point's: time never runs back).
    public func record(_ message: Fulcrum_V1_ProtocolHealth) {
        func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
        let point = Point(timeNs: message.asOfNs, badDebtAtRisk: finite(message.badDebtAtRisk),
                          badDebtExpectedShortfall: finite(message.badDebtExpectedShortfall),
                          liquidationsAtRisk: finite(message.liquidationsAtRisk),
                          coverageRatio: finite(message.coverageRatio))
        ring.withLock { ring in
            if let newest = ring.newest, newest.timeNs > point.timeNs { return }
            ring.record(point)
        }
    }

    /// The points, oldest first, within ``ParameterHistory/window`` of the newest.
    public var series: [Point] { ring.withLock { $0.lastWindow } }
}
