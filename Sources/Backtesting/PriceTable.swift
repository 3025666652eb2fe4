import MarginModel
/// Price observations in columns, in replay order: what CSV and OHLC inputs become before a backtest turns each
/// row into a tick.
public struct PriceTable: Sendable {
    /// Symbol names; rows refer to them by index.
    public private(set) var symbols: [String] = []
    /// Venue names; rows refer to them by index.
    public private(set) var venues: [String] = []
    /// Exchange time of each row, ns since the Unix epoch.
    public private(set) var times: [Int64] = []
    /// Symbol index of each row.
    public private(set) var symbolIndices: [Int32] = []
    /// Venue index of each row.
    public private(set) var venueIndices: [Int32] = []
    /// Price of each row.
    public private(set) var prices: [Double] = []
    /// Traded size of each row, NaN when unknown.
    public private(set) var sizes: [Double] = []
    /// For daily bars replayed on a session clock: maps times back to dates.
    public var calendar: SessionCalendar?
    private var symbolIndex: [String: Int32] = [:]
    private var venueIndex: [String: Int32] = [:]

    /// An empty table.
    public init() {}

    /// Number of rows.
    public var count: Int { times.count }

    /// Appends a row.
    public mutating func append(time: Int64, symbol: String, venue: String, price: Double, size: Double = .nan) {
        times.append(time)
        symbolIndices.append(Self.intern(symbol, names: &symbols, index: &symbolIndex))
        venueIndices.append(Self.intern(venue, names: &venues, index: &venueIndex))
        prices.append(price)
        sizes.append(size)
    }

    /// Whether the rows are in non-decreasing time order.
    public var isSortedByTime: Bool {
        zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }
    }

    /// Orders the rows by time, keeping the input order among equal times (stable).
    public mutating func sortByTime() {
        guard !isSortedByTime else { return }
        let order = times.indices.sorted { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        times = order.map { times[$0] }
        symbolIndices = order.map { symbolIndices[$0] }
        venueIndices = order.map { venueIndices[$0] }
        prices = order.map { prices[$0] }
        sizes = order.map { sizes[$0] }
    }

    /// Appends every row of `other`, re-interning its names.
    public mutating func append(contentsOf other: PriceTable) {
        for row in 0..<other.count {
            append(time: other.times[row], symbol: other.symbols[Int(other.symbolIndices[row])],
                   venue: other.venues[Int(other.venueIndices[row])], price: other.prices[row],
                   size: other.sizes[row])
        }
    }

    private static func intern(_ name: String, names: inout [String], index: inout [String: Int32]) -> Int32 {
        if let existing = index[name] { return existing }
        let id = Int32(names.count)
        names.append(name)
        index[name] = id
        return id
    }
}
