extension PriceTable {
    /// The bar interval of a table of bars: the most common gap between consecutive prices of one symbol, when
    /// at least 80 % of all gaps are that gap or a whole multiple of it (bars with missing periods); nil for
    /// irregular ticks or fewer than 10 gaps. Daily bars loaded on a session calendar report the calendar's
    /// interval.
    public var barInterval: Int64? {
        if let calendar { return calendar.interval }
        var last: [Int32: Int64] = [:]
        var gaps: [Int64: Int] = [:]
        var total = 0
        for index in times.indices {
            let symbol = symbolIndices[index]
            if let previous = last[symbol], times[index] > previous {
                gaps[times[index] - previous, default: 0] += 1
                total += 1
            }
            last[symbol] = times[index]
        }
        guard total >= 10,
              let (mode, _) = gaps.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
        else { return nil }
        let regular = gaps.reduce(0) { $0 + ($1.key % mode == 0 ? $1.value : 0) }
        return Double(regular) >= 0.8 * Double(total) ? mode : nil
    }
}
