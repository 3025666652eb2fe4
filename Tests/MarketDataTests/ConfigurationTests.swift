import Foundation
import FulcrumSettings
import MarketData
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults are valid")
    func defaults() throws {
        try IngestConfiguration().validate()
        try FeedConfiguration().validate()
        try ValidationConfiguration().validate()
        try RobustPriceFilterConfiguration().validate()
        try SymbolTableConfiguration().validate()
    }

    static func error(_ body: () throws(ConfigurationError) -> Void) -> ConfigurationError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("errors name the bad key and value")
    func namesTheKey() throws {
        var configuration = IngestConfiguration()
        configuration.feeds[0].maxMessageSize = 10
        let error = try #require(Self.error { () throws(ConfigurationError) in try configuration.validate() })
        #expect(error.key == "ingest.feeds[0].maxMessageSize")
        #expect(error.value == "10")
        #expect(error.allowed == "64 … 16777216")
    }

    /// A configuration key and a change that makes it invalid.
    static func invalidChanges() -> [(String, (inout IngestConfiguration) -> Void)] {
        [
            ("ingest.feeds", { c in c.feeds = [] }),
            ("ingest.feeds[1].name", { c in c.feeds.append(FeedConfiguration()) }),
            ("ingest.feeds[0].name", { c in c.feeds[0].name = "bad name" }),
            ("ingest.feeds[0].endpoint", { c in c.feeds[0].endpoint = "http://x" }),
            ("ingest.feeds[0].endpoint", { c in c.feeds[0].endpoint = "tcp://" }),
            ("ingest.feeds[0].topicPrefixes[0]", { c in c.feeds[0].topicPrefixes = [""] }),
            ("ingest.symbols.maximumDiscovered", { c in c.symbols.maximumDiscovered = 0 }),
            ("ingest.symbols.allowList[1]", { c in c.symbols.allowList = ["BTC-USD", "BTC USD"] }),
            ("ingest.symbols.allowList[1]", { c in c.symbols.allowList = ["BTC-USD", "BTC-USD"] }),
            ("ingest.venues.maximumNameLength", { c in c.venues.maximumNameLength = 1000 }),
            ("ingest.validation.minimumPrice", { c in c.validation.minimumPrice = 0 }),
            ("ingest.validation.maximumPrice", { c in c.validation.maximumPrice = .infinity }),
            ("ingest.validation.maximumFutureSkew", { c in c.validation.maximumFutureSkew = -1 }),
            ("ingest.validation.maximumAge", { c in c.validation.maximumAge = 0 }),
            ("ingest.validation.sequenceRestartGap", { c in c.validation.sequenceRestartGap = 0 }),
            ("ingest.filter.staleAfter", { c in c.filter.staleAfter = 0 }),
            ("ingest.filter.deviationThreshold", { c in c.filter.deviationThreshold = .nan }),
            ("ingest.filter.scaleFloor", { c in c.filter.scaleFloor = -1 }),
            ("ingest.filter.scaleCeiling", { c in c.filter.scaleCeiling = 0.0001 }),
            ("ingest.filter.scaleAdaptation", { c in c.filter.scaleAdaptation = 1 }),
            ("ingest.filter.confirmationWindow", { c in c.filter.confirmationWindow = 0 }),
            ("ingest.filter.confirmingVenues", { c in c.filter.confirmingVenues = 1 }),
        ]
    }

    @Test("each invalid setting is reported under its key")
    func invalidSettings() throws {
        for (key, change) in Self.invalidChanges() {
            var configuration = IngestConfiguration()
            change(&configuration)
            let error = try #require(Self.error { () throws(ConfigurationError) in try configuration.validate() })
            #expect(error.key == key)
            #expect(!error.allowed.isEmpty, "\(key) says what is allowed")
        }
    }

    @Test("round-trips through JSON with stable encoding names")
    func codable() throws {
        var configuration = IngestConfiguration()
        configuration.feeds = [
            FeedConfiguration(
                name: "binance", endpoint: "ipc:///tmp/ticks", bind: true, topicPrefixes: ["BINANCE-"],
                encoding: .cryptofeed, maxMessageSize: 4096),
        ]
        configuration.symbols.allowList = ["BTC-USDT"]
        let data = try JSONEncoder().encode(configuration)
        #expect(String(decoding: data, as: UTF8.self).contains(#""encoding":"cryptofeed""#))
        #expect(try JSONDecoder().decode(IngestConfiguration.self, from: data) == configuration)
    }
}
