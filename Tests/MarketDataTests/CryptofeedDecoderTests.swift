import FulcrumTestSupport
import MarketData
import Testing

@Suite("CryptofeedDecoder")
struct CryptofeedDecoderTests {
    let decoder = CryptofeedDecoder()

    func decode(_ text: String) throws(RejectionReason) -> (DecodedTick, venue: String?, symbol: String?)? {
        let bytes = Array(text.utf8)
        let result: Result<(DecodedTick, venue: String?, symbol: String?)?, RejectionReason> = bytes.withUnsafeBytes { raw in
            do throws(RejectionReason) {
                guard let tick = try decoder.decode(raw) else { return .success(nil) }
                return .success((tick, tick.venue.string(in: raw), tick.symbol.string(in: raw)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    @Test("decodes every frame cryptofeed's ZeroMQ backend produced", arguments: CryptofeedFixtures.frames.indices)
    func fixtures(index: Int) throws {
        let frame = CryptofeedFixtures.frames[index]
        let result = try decode(frame.text)
        guard frame.channel != "ignored" else {
            #expect(result == nil)
            return
        }
        let (tick, venue, symbol) = try #require(result)
        #expect(venue == frame.exchange)
        #expect(symbol == frame.symbol)
        #expect(tick.exchangeTime == frame.exchangeTime)
        #expect(tick.sourceReceiptTime == frame.receiptTime)
        if frame.channel == "trades" {
            // Parsing is exact: the bits must be those Python's correctly rounded float() produced.
            #expect(tick.price.bitPattern == frame.priceBits)
            #expect(tick.size?.bitPattern == frame.sizeBits)
            #expect(tick.side == (frame.side == "buy" ? .buy : frame.side == "sell" ? .sell : .unknown))
            #expect(tick.bid == nil && tick.ask == nil)
        } else {
            let bid = Double(bitPattern: try #require(frame.bidBits))
            let ask = Double(bitPattern: try #require(frame.askBits))
            #expect(tick.bid?.bitPattern == bid.bitPattern)
            #expect(tick.ask?.bitPattern == ask.bitPattern)
            #expect(tick.price.isApproximatelyEqual(to: (bid + ask) / 2, relativeTolerance: 1e-12))
            #expect(tick.size == nil)
        }
    }

    @Test("the fixtures cover both channels and ignored ones")
    func fixtureCoverage() {
        let channels = Set(CryptofeedFixtures.frames.map(\.channel))
        #expect(channels == ["trades", "ticker", "ignored"])
    }

    @Test("exchange and symbol come from the JSON even when the symbol contains dashes")
    func dashedSymbol() throws {
        let text = #"DERIBIT-trades-BTC-USD-22DEC23-20000-C {"exchange":"DERIBIT","symbol":"BTC-USD-22DEC23-20000-C","#
            + #""side":"sell","amount":0.1,"price":0.0355,"timestamp":1700000004.1}"#
        let (_, venue, symbol) = try #require(try decode(text))
        #expect(venue == "DERIBIT")
        #expect(symbol == "BTC-USD-22DEC23-20000-C")
    }

    @Test("escapes, nested values, nulls and extra keys are handled")
    func tolerantStructure() throws {
        let text = #"COINBASE-trades-BTC-USD { "exchange" : "COINBASE", "sym\u0062ol":"BTC\u002dUSD","#
            + #" "raw": {"a": [1, 2.5e3, {"b": "}\"]{"}], "c": null, "d": [true, false, []], "e": {}},"#
            + #" "side": "s\u0065ll", "amount": null, "price": "43000.5", "id": "a\"b\\c\/d\n\u00e9\ud83d\ude00","#
            + #" "type": null, "timestamp": 1.7000000001e9, "price_extra": -0.0, "nested": [[[[]]]] }"# + "\n"
        let (tick, venue, symbol) = try #require(try decode(text))
        #expect(venue == "COINBASE")
        #expect(symbol == "BTC-USD")
        #expect(tick.symbol.isJSONEscaped)
        #expect(tick.side == .sell)
        #expect(tick.size == nil)
        #expect(tick.price == 43_000.5)
        #expect(tick.exchangeTime == 1_700_000_000_100_000_000)
    }

    @Test("numbers inside strings, escaped or not, convert exactly")
    func numericStrings() throws {
        let text = #"X-trades-Y {"exchange":"X","symbol":"Y","price":"4\u0033000.5","amount":"1e-3","#
            + #""timestamp":"1700000000.12345678\u0039"}"#
        let (tick, _, _) = try #require(try decode(text))
        #expect(tick.price == 43_000.5)
        #expect(tick.size == 0.001)
        #expect(tick.exchangeTime == 1_700_000_000_123_456_789)
        let long = #"X-trades-Y {"exchange":"X","symbol":"Y","price":"1.0000000000000001110223024625156540423631668"#
            + #"0908203125000000000000001","timestamp":1}"#
        #expect(try #require(try decode(long)).0.price == 1.0.nextUp)
        #expect(throws: RejectionReason.invalidJSON) {
            try decode(#"X-trades-Y {"exchange":"X","symbol":"Y","price":"12abc","timestamp":1}"#)
        }
    }

    @Test("the last occurrence of a key wins")
    func duplicateKeys() throws {
        let text = #"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"price":2,"timestamp":1.5}"#
        let (tick, _, _) = try #require(try decode(text))
        #expect(tick.price == 2)
    }

    @Test("Python's NaN and Infinity decode as non-finite prices")
    func nonFinite() throws {
        let nan = try #require(try decode(#"X-trades-Y {"exchange":"X","symbol":"Y","price":NaN,"timestamp":1}"#))
        #expect(nan.0.price.isNaN)
        let inf = try #require(try decode(#"X-trades-Y {"exchange":"X","symbol":"Y","price":-Infinity,"timestamp":1}"#))
        #expect(inf.0.price == -.infinity)
    }

    @Test("the channel comes from the topic key", arguments: [
        ("X-trades-Y", true), ("trades", true), ("X-ticker-Y", true), ("ticker", true), ("X-fills-Y", false),
        ("X-order_info-Y", false), ("X-book-Y", false), ("Z-trades-Y", false), ("X-trades-Q", false),
        ("X-trades", false), ("tradesX", false), ("X--trades-Y", false),
    ])
    func channelSelection(topic: String, decodes: Bool) throws {
        let text = topic + #" {"exchange":"X","symbol":"Y","price":1,"bid":1,"ask":2,"amount":1,"timestamp":1}"#
        #expect((try decode(text) != nil) == decodes)
    }

    @Test("custom topic keys")
    func customKeys() throws {
        let custom = CryptofeedDecoder(tradesKey: "prints", tickerKey: "quotes")
        let bytes = Array(#"X-prints-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1}"#.utf8)
        let tick = bytes.withUnsafeBytes { raw in (try? custom.decode(raw)) ?? nil }
        #expect(tick?.price == 1)
    }

    @Test("rejects malformed frames", arguments: [
        ("no-space-at-all", RejectionReason.malformedFrame),
        ("", .malformedFrame),
        ("X-trades-Y [1,2]", .unknownEncoding),
        ("X-trades-Y protobuf", .unknownEncoding),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1} x"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":01,"timestamp":1}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1.,"timestamp":1}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":"1.2.3","timestamp":1}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":[1],"timestamp":1}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,"raw":{"a":[1}]}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,"raw":"\x"}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,"raw":"\u12"}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,"raw":tru}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":1,"symbol":"Y","price":1,"timestamp":1}"#, .invalidJSON),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","timestamp":1}"#, .missingField),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":null,"timestamp":1}"#, .missingField),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1}"#, .missingField),
        (#"trades {"symbol":"Y","price":1,"timestamp":1}"#, .missingField),
        (#"trades {"exchange":"","symbol":"Y","price":1,"timestamp":1}"#, .missingField),
        (#"X-ticker-Y {"exchange":"X","symbol":"Y","bid":1,"timestamp":1}"#, .missingField),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":NaN}"#, .invalidTimestamp),
        (#"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1e30}"#, .invalidTimestamp),
    ] as [(String, RejectionReason)])
    func malformed(text: String, reason: RejectionReason) {
        #expect(throws: reason) { try decode(text) }
    }

    @Test("random strings with escapes at every offset decode to their original text")
    func randomEscapedStrings() throws {
        var rng = SplitMix64(seed: 41)
        let pool: [Character] = Array("ABCxyz019-_. ") + ["\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "€", "😀"]
        for _ in 0..<3_000 {
            let original = String((0..<Int.random(in: 1...40, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
            var escaped = ""
            for scalar in original.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "/": escaped += Bool.random(using: &rng) ? "\\/" : "/"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case "😀": escaped += Bool.random(using: &rng) ? "\\ud83d\\ude00" : "😀"
                default:
                    if scalar.value < 0x20 {
                        escaped += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                    } else if scalar.isASCII && Int.random(in: 0..<8, using: &rng) == 0 {
                        let hex = String(scalar.value, radix: 16)
                        escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        escaped += String(scalar)
                    }
                }
            }
            let text = #"trades {"exchange":"X","raw":""# + escaped + #"","symbol":""# + escaped
                + #"","price":1,"timestamp":1}"#
            let decoded = try #require(try decode(text))
            #expect(decoded.symbol == original, "\(escaped)")
        }
    }

    @Test("raw control characters inside strings are invalid")
    func controlCharacters() {
        // Not a parametrized argument: the raw byte would end up in the test log.
        let text = "X-trades-Y {\"exchange\":\"X\",\"symbol\":\"Y\",\"price\":1,\"timestamp\":1,\"raw\":\"a\u{1}b\"}"
        #expect(throws: RejectionReason.invalidJSON) { try decode(text) }
    }

    @Test("nesting deeper than the limit is rejected")
    func depthLimit() throws {
        func frame(depth: Int) -> String {
            #"X-trades-Y {"exchange":"X","symbol":"Y","price":1,"timestamp":1,"raw":"#
                + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        }
        #expect(try decode(frame(depth: 63)) != nil)
        #expect(throws: RejectionReason.invalidJSON) { try decode(frame(depth: 65)) }
        #expect(throws: RejectionReason.invalidJSON) { try decode(frame(depth: 100_000)) }
    }
}
