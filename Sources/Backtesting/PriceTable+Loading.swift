import FulcrumRecording
import MarginModel
import MarketData

extension PriceTable {
    /// Reads tick CSV files (``TickCSVReader``) into one table, ordered by time (stable across files).
    public static func loadTicks(paths: [String], defaultVenue: String = "CSV") throws -> PriceTable {
        var table = PriceTable()
        for path in paths {
            let file = try MappedFile(path: path)
            try withExtendedLifetime(file) {
                try TickCSVReader.read(file.bytes, name: path, defaultVenue: defaultVenue, into: &table)
            }
        }
        table.sortByTime()
        return table
    }

    /// Reads daily-bar files (``OHLCReader``), one instrument each, and lays them on a shared session calendar
    /// with one session per `interval` (``SessionCalendar``).
    ///
    /// - Parameter symbols: the instrument of each file; a missing entry takes the file name without its
    ///   directory and extension.
    public static func loadDailyBars(paths: [String], symbols: [String], priceColumn: String = "Close",
                                     interval: Int64) throws -> PriceTable {
        var bars: [DailyBars] = []
        for (index, path) in paths.enumerated() {
            let symbol = index < symbols.count ? symbols[index] : Self.stem(path)
            let file = try MappedFile(path: path)
            bars.append(try withExtendedLifetime(file) {
                try OHLCReader.read(file.bytes, name: path, symbol: symbol, priceColumn: priceColumn)
            })
        }
        return SessionCalendar.merging(bars, interval: interval).table
    }

    /// `data/SPX.csv` → `SPX`.
    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
