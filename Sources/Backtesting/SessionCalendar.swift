import MarginModel
/// Replays daily bars on a session clock: the k-th trading session of the merged calendar is the k-th grid
/// interval, so a grid of one day steps session by session and weekends and holidays add no zero returns.
///
/// Session k runs over [origin + k·Δ, origin + (k+1)·Δ), with origin the midnight (UTC) of the first session's
/// date; its price is replayed at the interval's middle, origin + k·Δ + Δ/2. The boundary origin + (k+1)·Δ
/// therefore samples session k's price, and ``label(boundary:)`` names that session's real date. A horizon of
/// one day is then one trading session, the usual convention of daily VaR backtests.
public struct SessionCalendar: Sendable, Hashable {
    /// Event time of the start of session 0, ns.
    public var origin: Int64
    /// Δ, ns (the grid interval).
    public var interval: Int64
    /// The real date of each session, days since 1970-01-01, ascending.
    public var days: [Int64]

    /// Creates a calendar.
    public init(origin: Int64, interval: Int64, days: [Int64]) {
        self.origin = origin
        self.interval = interval
        self.days = days
    }

    /// Merges the sessions of every instrument (their union, ascending) and returns the calendar with a table
    /// of every bar at its session time, in session order and, within a session, in `bars` order.
    public static func merging(_ bars: [DailyBars], interval: Int64, venue: String = "EOD")
        -> (calendar: SessionCalendar, table: PriceTable) {
        let days = Array(Set(bars.flatMap(\.days))).sorted()
        let origin = (days.first ?? 0) * CivilTime.nanosecondsPerDay
        let calendar = SessionCalendar(origin: origin, interval: interval, days: days)
        var session: [Int64: Int64] = [:]
        for (index, day) in days.enumerated() { session[day] = Int64(index) }
        var table = PriceTable()
        var cursors = Array(repeating: 0, count: bars.count)
        for (index, day) in days.enumerated() {
            let time = origin + Int64(index) * interval + interval / 2
            for instrument in bars.indices where cursors[instrument] < bars[instrument].days.count
                && bars[instrument].days[cursors[instrument]] == day {
                table.append(time: time, symbol: bars[instrument].symbol, venue: venue,
                             price: bars[instrument].prices[cursors[instrument]])
                cursors[instrument] += 1
            }
        }
        table.calendar = calendar
        return (calendar, table)
    }

    /// The session whose price a grid boundary samples (the one that ended at it), or nil outside the calendar.
    public func session(boundary: Int64) -> Int? {
        guard interval > 0, boundary > origin else { return nil }
        let index = (boundary - origin) / interval - 1
        return index >= 0 && index < Int64(days.count) ? Int(index) : nil
    }

    /// `YYYY-MM-DD` of the session a boundary samples, or nil outside the calendar.
    public func label(boundary: Int64) -> String? {
        session(boundary: boundary).map { CivilTime.dateString(days: days[$0]) }
    }
}
