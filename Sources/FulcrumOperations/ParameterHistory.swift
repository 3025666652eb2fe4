import FulcrumEngine
import Synchronization

/// The last hour of each asset's σ, IMF and MMF, for the dashboard's sparklines: a bounded ring buffer per symbol,
/// kept server side so that a page opened now shows the hour before it, and memory does not grow with uptime.
///
/// The hour (``window``) is cut into ``capacity`` buckets of equal width (30 s); each bucket keeps the last sample
/// taken in it, stamped with the grid boundary (event time) the engine had reached. So a symbol holds at most
/// ``capacity`` points whatever the sample interval, and at most `symbolLimit` symbols are kept (the first ones in
/// engine order, as `http.symbolMetricsLimit` bounds the metric series): memory is bounded by
/// `symbolLimit × capacity × 56` bytes (a ``Point``'s stride; 1.7 MB for 256 symbols). Points older than ``window`` before the newest are
/// left out of ``series(at:)``.
public final class ParameterHistory: Sendable {
    /// One sample of one asset.
    public struct Point: Sendable, Codable, Hashable, HistoryPoint {
        /// Grid boundary (event time) of the sample, ns since the Unix epoch.
        public var timeNs: Int64
        /// Annualized σ, `nil` when not finite.
        public var sigmaAnnual: Double?
        /// Published initial margin fraction, `nil` before the first publication.
        public var imf: Double?
        /// Published maintenance margin fraction.
        public var mmf: Double?
    }

    /// How far back the history reaches: one hour.
    public static let window: Int64 = 3_600 * 1_000_000_000
    /// Points per symbol: one per bucket of `window / capacity` (30 s).
    public static let capacity = 120
    /// Width of a bucket, ns.
    public static let bucket = window / Int64(capacity)

    typealias Ring = HistoryRing<Point>

    private let state: Mutex<[String: Ring]>
    private let symbolLimit: Int

    /// An empty history keeping at most `symbolLimit` symbols.
    public init(symbolLimit: Int) {
        state = Mutex([:])
        self.symbolLimit = max(symbolLimit, 0)
    }

    /// Records the snapshot's σ and published margins at its last grid boundary (nothing before the first one).
    public func record(_ snapshot: EngineSnapshot) {
        guard let time = snapshot.lastBoundary else { return }
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        state.withLock { rings in
            for (index, symbol) in snapshot.symbols.enumerated().prefix(symbolLimit) {
                let parameters = snapshot.announcedParameters(index)
                let point = Point(
                    timeNs: time,
                    sigmaAnnual: finite(index < snapshot.annualVolatility.count ? snapshot.annualVolatility[index] : nil),
                    imf: finite(parameters?.published.initialMarginFraction),
                    mmf: finite(parameters?.published.maintenanceMarginFraction))
                if let newest = rings[symbol]?.newest, newest.timeNs > time { continue }  // time never runs back
                rings[symbol, default: Ring()].record(point)
            }
        }
    }

    /// `symbol`'s points, oldest first, within ``window`` of the newest; empty for a symbol not kept.
    public func series(of symbol: String) -> [Point] {
        state.withLock { $0[symbol]?.lastWindow ?? [] }
    }
}
