/// A book's positions grouped by margin unit: unit u's positions are `positions[start[u] ..< start[u + 1]]`
/// (indices into the book's flat arrays). Built in O(positions) by a counting sort; free slots are skipped.
public struct PositionLayout: Sendable {
    /// Row starts, one per unit slot plus the end.
    public let start: [Int32]
    /// Position slots, grouped by unit.
    public let positions: [Int32]

    init(_ book: PositionBook) {
        var counts = [Int32](repeating: 0, count: book.unitSlotCount + 1)
        for slot in 0..<book.positionSlotCount where book.positionUnit[slot] >= 0 {
            counts[Int(book.positionUnit[slot]) + 1] += 1
        }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        start = counts
        var next = counts
        var grouped = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for slot in 0..<book.positionSlotCount where book.positionUnit[slot] >= 0 {
            let unit = Int(book.positionUnit[slot])
            grouped[Int(next[unit])] = Int32(slot)
            next[unit] += 1
        }
        positions = grouped
    }

    /// The positions of `unit`.
    public func positions(of unit: Int) -> ArraySlice<Int32> { positions[Int(start[unit])..<Int(start[unit + 1])] }
}
