import MarginModel
/// Reads price observations from CSV: `timestamp,symbol,price[,venue,size]`.
///
/// A first line whose timestamp field does not parse is a header: its column names (case-insensitive:
/// `timestamp`/`time`/`ts`, `symbol`, `price`, `venue`/`exchange`, `size`/`quantity`/`amount`) then locate the
/// columns, in any order. Without a header the columns are positional. Timestamps are decimal seconds since the
/// epoch or ISO 8601 in UTC (see ``CivilTime/parseTimestamp(_:)``); rows are replayed in file order, so a file
/// should be sorted by time (out-of-order rows are rejected by the ingest like live ones).
public enum TickCSVReader {
    /// Reads `bytes` (the file's content) and appends its rows to `table`.
    ///
    /// - Parameter defaultVenue: venue of rows without a venue column or with an empty one.
    /// - Throws: `.invalidInput` naming the file, line and field that did not parse.
    public static func read(_ bytes: UnsafeRawBufferPointer, name: String, defaultVenue: String = "CSV",
                            into table: inout PriceTable) throws {
        var lines = CSVLines(bytes)
        var columns = (time: 0, symbol: 1, price: 2, venue: 3, size: 4)
        var pending: [Substring]?
        if let first = lines.next() {
            if first.first.flatMap({ CivilTime.parseTimestamp($0) }) == nil {
                columns = try headerColumns(first, name: name)
            } else {
                pending = first
            }
        }
        while let fields = pending ?? lines.next() {
            pending = nil
            func fail(_ message: String) -> BacktestingError {
                BacktestingError(code: .invalidInput, message: message,
                                 context: ["file": name, "line": "\(lines.lineNumber)"])
            }
            func field(_ index: Int) -> Substring? { index >= 0 && index < fields.count ? fields[index] : nil }
            guard let timeText = field(columns.time), let time = CivilTime.parseTimestamp(timeText) else {
                throw fail("timestamp '\(field(columns.time) ?? "")' is neither epoch seconds nor ISO 8601 UTC")
            }
            guard let symbol = field(columns.symbol), !symbol.isEmpty else { throw fail("missing symbol") }
            guard let priceText = field(columns.price), let price = Double(priceText) else {
                throw fail("price '\(field(columns.price) ?? "")' is not a number")
            }
            let venue = field(columns.venue).flatMap { $0.isEmpty ? nil : String($0) } ?? defaultVenue
            var size = Double.nan
            if let sizeText = field(columns.size), !sizeText.isEmpty {
                guard let value = Double(sizeText) else { throw fail("size '\(sizeText)' is not a number") }
                size = value
            }
            table.append(time: time, symbol: String(symbol), venue: venue, price: price, size: size)
        }
    }

    static func headerColumns(_ header: [Substring], name: String) throws
        -> (time: Int, symbol: Int, price: Int, venue: Int, size: Int) {
        let names = header.map { $0.lowercased() }
        func column(_ candidates: [String]) -> Int { names.firstIndex { candidates.contains($0) } ?? -1 }
        let columns = (time: column(["timestamp", "time", "ts"]), symbol: column(["symbol"]),
                       price: column(["price"]), venue: column(["venue", "exchange"]),
                       size: column(["size", "quantity", "amount"]))
        guard columns.time >= 0, columns.symbol >= 0, columns.price >= 0 else {
            throw BacktestingError(code: .invalidInput,
                                   message: "header must name timestamp, symbol and price columns; found "
                                       + names.joined(separator: ","), context: ["file": name, "line": "1"])
        }
        return columns
    }
}
