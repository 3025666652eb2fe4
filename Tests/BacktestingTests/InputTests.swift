import MarginModel
import MarketData
import Testing
@testable import Backtesting
@testable import FulcrumRecording

@Suite("CSV, OHLC and time inputs")
struct InputTests {
    static func table(_ text: String) throws -> PriceTable {
        var table = PriceTable()
        try Array(text.utf8).withUnsafeBytes { try TickCSVReader.read($0, name: "test.csv", into: &table) }
        return table
    }

    @Test("Civil dates: known day numbers, and date(days:) inverts days(year:month:day:) over ±2,700 years")
    func civilDates() {
        #expect(CivilTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilTime.days(year: 1969, month: 12, day: 31) == -1)
        #expect(CivilTime.days(year: 2024, month: 2, day: 29) == 19_782)
        for day in stride(from: Int64(-1_000_000), through: 1_000_000, by: 997) {
            let (year, month, dayOfMonth) = CivilTime.date(days: day)
            #expect(CivilTime.days(year: year, month: month, day: dayOfMonth) == day)
            #expect((1...12).contains(month) && (1...31).contains(dayOfMonth))
        }
        #expect(CivilTime.iso8601(1_700_000_000_123_000_000) == "2023-11-14T22:13:20.123Z")
        #expect(CivilTime.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(CivilTime.iso8601(-1) == "1969-12-31T23:59:59.999999999Z")
    }

    @Test("Timestamps: epoch seconds with fractions, ISO dates and date-times; garbage is nil",
          arguments: [
              ("1700000000", Int64(1_700_000_000_000_000_000)),
              ("1700000000.5", 1_700_000_000_500_000_000),
              ("2023-11-14T22:13:20.123Z", 1_700_000_000_123_000_000),
              ("2023-11-14 22:13:20", 1_700_000_000_000_000_000),
              ("2023-11-14T22:13:20+00:00", 1_700_000_000_000_000_000),
              ("2023-11-14", 1_699_920_000_000_000_000),
          ])
    func timestamps(text: String, expected: Int64) {
        #expect(CivilTime.parseTimestamp(text[...]) == expected)
    }

    @Test("Unparseable timestamps", arguments: ["", "abc", "2023-13-01", "2023-11-14T25:00:00Z", "1.2.3",
                                                 "2023-11-14T22:13:20+02:00"])
    func badTimestamps(text: String) {
        #expect(CivilTime.parseTimestamp(text[...]) == nil)
    }

    @Test("Tick CSV with a header in any column order, quotes, comments and CRLF")
    func csvWithHeader() throws {
        let table = try Self.table("""
            # exported ticks\r
            symbol,venue,price,"timestamp",size\r
            BTC-USD,BINANCE,65000.5,2024-01-02T00:00:01Z,0.25\r
            ETH-USD,,3400,2024-01-02T00:00:02Z,\r
            \r
            """)
        #expect(table.count == 2)
        #expect(table.symbols == ["BTC-USD", "ETH-USD"])
        #expect(table.venues == ["BINANCE", "CSV"])
        #expect(table.prices == [65_000.5, 3_400])
        #expect(table.sizes[0] == 0.25 && table.sizes[1].isNaN)
        #expect(table.times == [1_704_153_601_000_000_000, 1_704_153_602_000_000_000])
    }

    @Test("Tick CSV without a header is positional; rows from several files are merged by time, stably")
    func csvPositional() throws {
        var table = try Self.table("1700000002,AAA,10\n1700000001,BBB,20,X,3\n")
        table.append(contentsOf: try Self.table("1700000001,CCC,30\n"))
        table.sortByTime()
        #expect(table.symbols.count == 3)
        #expect(table.times == [1_700_000_001_000_000_000, 1_700_000_001_000_000_000, 1_700_000_002_000_000_000])
        #expect(table.prices == [20, 30, 10])
    }

    @Test("Errors name the file, the line and the field")
    func csvErrors() {
        let error = #expect(throws: BacktestingError.self) {
            _ = try Self.table("timestamp,symbol,price\n1700000000,AAA,1\n1700000001,AAA,abc\n")
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.context["line"] == "3" && error?.context["file"] == "test.csv")
        #expect(throws: BacktestingError.self) { _ = try Self.table("when,what\n1,2\n") }
    }

    @Test("OHLC bars: Close or another column, null rows skipped, dates must increase")
    func ohlc() throws {
        let text = """
            Date,Open,High,Low,Close,Adj Close,Volume
            1999-01-04,1229.23,1248.81,1219.10,1228.10,1228.10,877000000
            1999-01-05,1228.10,1246.11,1228.10,1244.78,1244.70,775000000
            1999-01-06,null,null,null,null,null,null
            1999-01-07,1272.34,1272.34,1257.68,1269.73,1269.70,863000000
            """
        let bars = try Array(text.utf8).withUnsafeBytes { try OHLCReader.read($0, name: "spx.csv", symbol: "SPX") }
        #expect(bars.prices == [1_228.10, 1_244.78, 1_269.73])
        #expect(bars.days.map { CivilTime.dateString(days: $0) } == ["1999-01-04", "1999-01-05", "1999-01-07"])
        let adjusted = try Array(text.utf8).withUnsafeBytes {
            try OHLCReader.read($0, name: "spx.csv", symbol: "SPX", priceColumn: "adj close")
        }
        #expect(adjusted.prices == [1_228.10, 1_244.70, 1_269.70])
        let backwards = "Date,Close\n2000-01-02,1\n2000-01-01,2\n"
        #expect(throws: BacktestingError.self) {
            _ = try Array(backwards.utf8).withUnsafeBytes { try OHLCReader.read($0, name: "b.csv", symbol: "B") }
        }
    }

    @Test("Sessions: the union of trading days, one grid interval each, prices mid-interval, boundaries labelled")
    func sessions() {
        let day = CivilTime.nanosecondsPerDay
        let monday = CivilTime.days(year: 2024, month: 1, day: 8)
        let a = DailyBars(symbol: "A", days: [monday, monday + 1, monday + 4], prices: [1, 2, 3])
        let b = DailyBars(symbol: "B", days: [monday + 1, monday + 7], prices: [10, 20])
        let (calendar, table) = SessionCalendar.merging([a, b], interval: day)
        #expect(calendar.days == [monday, monday + 1, monday + 4, monday + 7])
        let origin = monday * day
        #expect(table.times == [origin + day / 2, origin + day + day / 2, origin + day + day / 2,
                                origin + 2 * day + day / 2, origin + 3 * day + day / 2])
        #expect(table.prices == [1, 2, 10, 3, 20])
        #expect(table.symbols == ["A", "B"])
        // The boundary after session k samples session k's price and carries its date.
        #expect(calendar.label(boundary: origin + 3 * day) == "2024-01-12")
        #expect(calendar.label(boundary: origin + 4 * day) == "2024-01-15")
        #expect(calendar.label(boundary: origin) == nil)
        #expect(calendar.label(boundary: origin + 5 * day) == nil)
    }

    @Test("Encoded tick frames decode through the live ingest with every field intact")
    func tickFrames() throws {
        var table = PriceTable()
        table.append(time: 1_700_000_000_250_000_000, symbol: "BTC-USD", venue: "BINANCE", price: 65_000.25, size: 0.5)
        table.append(time: 1_700_000_001_000_000_000, symbol: "ETH-USD", venue: "BINANCE", price: 3_400)
        var ingestor = TickIngestor(encoding: .fulcrumProtobuf)
        var ticks: [Tick] = []
        var topics: [String] = []
        table.forEachTickFrame { topic, payload, time in
            topics.append(String(decoding: topic, as: UTF8.self))
            if case .accepted(let tick, _) = ingestor.ingest(frameCount: 2, topic, payload, receiptTime: time) {
                ticks.append(tick)
            }
        }
        #expect(topics == ["tick.BINANCE.BTC-USD", "tick.BINANCE.ETH-USD"])
        try #require(ticks.count == 2)
        #expect(ticks[0].price == 65_000.25 && ticks[0].size == 0.5)
        #expect(ticks[0].exchangeTime == 1_700_000_000_250_000_000 && ticks[0].feedSequence == 1)
        #expect(ticks[1].size == nil && ticks[1].feedSequence == 2)
        #expect(ingestor.symbols.name(of: ticks[1].symbol) == "ETH-USD")
    }
}
