import MarginModel
/// Reads daily OHLC bars from CSV with a header, e.g. `Date,Open,High,Low,Close,Adj Close,Volume`
/// (the layout of Yahoo Finance downloads and of the data sets shipped with Python's `arch`).
///
/// The `Date` column (`YYYY-MM-DD`) and the price column (default `Close`, matched case-insensitively) are
/// required; rows whose price is empty, `null`, not a number or not positive are skipped, since a session
/// without a price is not a session. Dates must increase strictly.
public enum OHLCReader {
    /// Reads bars from `bytes` (the file's content).
    ///
    /// - Throws: `.invalidInput` naming the file and line.
    public static func read(_ bytes: UnsafeRawBufferPointer, name: String, symbol: String,
                            priceColumn: String = "Close") throws -> DailyBars {
        var lines = CSVLines(bytes)
        guard let header = lines.next() else {
            throw BacktestingError(code: .invalidInput, message: "empty OHLC file", context: ["file": name])
        }
        let names = header.map { $0.lowercased() }
        guard let dateColumn = names.firstIndex(of: "date"),
              let priceIndex = names.firstIndex(of: priceColumn.lowercased()) else {
            throw BacktestingError(code: .invalidInput,
                                   message: "OHLC header must have Date and \(priceColumn) columns; found "
                                       + header.joined(separator: ","), context: ["file": name, "line": "1"])
        }
        var bars = DailyBars(symbol: symbol)
        while let fields = lines.next() {
            let context = ["file": name, "line": "\(lines.lineNumber)"]
            guard dateColumn < fields.count, let day = CivilTime.parseDate(fields[dateColumn].prefix(10)) else {
                throw BacktestingError(code: .invalidInput, message: "date is not YYYY-MM-DD", context: context)
            }
            guard priceIndex < fields.count, let price = Double(fields[priceIndex]), price.isFinite, price > 0 else {
                continue
            }
            if let last = bars.days.last, day <= last {
                throw BacktestingError(code: .invalidInput, message: "dates must increase strictly",
                                       context: context)
            }
            bars.days.append(day)
            bars.prices.append(price)
        }
        return bars
    }
}
