import FulcrumTestSupport
import Testing
@testable import MarketData

@Suite("Decimal number parsing and conversion")
struct DecimalNumberTests {
    /// Parses `text` as a JSON number and converts it to a double.
    static func parseDouble(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> Double? in
            guard let base = raw.baseAddress, let number = DecimalNumber.parse(base, raw.count) else { return nil }
            return number.doubleValue(token: raw)
        }
    }

    static func parseNanoseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> Int64? in
            guard let base = raw.baseAddress, let number = DecimalNumber.parse(base, raw.count) else { return nil }
            return number.scaledInteger(decimalShift: 9)
        }
    }

    @Test("matches Python's float() on repr, json.dumps, long-digit and halfway texts")
    func pythonReference() {
        var mismatches: [String] = []
        for number in CryptofeedFixtures.numbers {
            let parsed = Self.parseDouble(number.text)
            if parsed?.bitPattern != number.bits { mismatches.append(number.text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(CryptofeedFixtures.numbers.count > 4_000)
    }

    @Test("round-trips the shortest representation of random doubles")
    func roundTripsRandomDoubles() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<50_000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let parsed = Self.parseDouble("\(value)")
            #expect(parsed?.bitPattern == value.bitPattern, "\(value)")
        }
    }

    @Test("agrees with the standard library on long random decimal strings")
    func agreesWithStandardLibrary() {
        var rng = SplitMix64(seed: 12)
        let digits = Array("0123456789")
        for _ in 0..<20_000 {
            let count = Int.random(in: 1...30, using: &rng)
            var text = String(digits[Int.random(in: 1...9, using: &rng)])
            text += String((0..<count).map { _ in digits.randomElement(using: &rng)! })
            let point = Int.random(in: 1...text.count, using: &rng)
            text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            if point == text.count - 1 { text += "0" }
            text += "e\(Int.random(in: -345...310, using: &rng))"
            #expect(Self.parseDouble(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test("edge values", arguments: [
        ("0", 0.0), ("-0", -0.0), ("0.0e10", 0.0), ("1", 1.0), ("-1.5", -1.5), ("1e0", 1.0), ("1E+2", 100.0),
        ("5e-324", .leastNonzeroMagnitude), ("2.4703282292062327e-324", 0.0),
        ("2.4703282292062328e-324", .leastNonzeroMagnitude),
        ("1.7976931348623157e308", .greatestFiniteMagnitude), ("1.7976931348623159e308", .infinity),
        ("1e309", .infinity), ("1e-400", 0.0), ("9007199254740993", 9_007_199_254_740_992.0),
        ("9007199254740995", 9_007_199_254_740_996.0), ("0.1", 0.1), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("1e99999999999999999999", .infinity), ("1e-99999999999999999999", 0.0),
        ("0.000000000000000000000000000000000001", 1e-36),
    ] as [(String, Double)])
    func edgeValues(text: String, expected: Double) {
        #expect(Self.parseDouble(text)?.bitPattern == expected.bitPattern)
    }

    @Test("halfway cases are decided by every digit, however many")
    func halfwayNeedsAllDigits() {
        // 1 + 2^-53, exactly halfway between 1 and the next double: ties go to the even significand (1).
        let half = "1.00000000000000011102230246251565404236316680908203125"
        let above = 1.0.nextUp
        #expect(Self.parseDouble(half) == 1.0)
        #expect(Self.parseDouble(half + "0000000000") == 1.0)
        #expect(Self.parseDouble(half + String(repeating: "0", count: 900) + "1") == above)
        #expect(Self.parseDouble("1.00000000000000011102230246251565404236316680908203124999") == 1.0)
        // Halfway between nextUp(1) (odd significand) and the one after: ties go up to the even one.
        let oddHalf = "1.00000000000000033306690738754696212708950042724609375"
        #expect(Self.parseDouble(oddHalf) == 1.0.nextUp.nextUp)
        #expect(Self.parseDouble("1.00000000000000033306690738754696212708950042724609374") == 1.0.nextUp)
        // The same in exponent notation, with leading zeros in the fraction.
        #expect(Self.parseDouble("0.000100000000000000011102230246251565404236316680908203125e4") == 1.0)
    }

    @Test("Python's non-finite tokens")
    func nonFinite() {
        #expect(Self.parseDouble("NaN")?.isNaN == true)
        #expect(Self.parseDouble("Infinity") == .infinity)
        #expect(Self.parseDouble("-Infinity") == -.infinity)
    }

    @Test("rejects texts outside the JSON number grammar", arguments: [
        "", "-", "+1", "01", "1.", ".5", "1e", "1e+", "1.2.3", "0x10", "1_000", " 1", "1 ", "nan", "inf", "-NaN",
        "Infinityx", "--1", "1e5.5", "1ee5",
    ])
    func rejectsGrammar(text: String) {
        #expect(Self.parseDouble(text) == nil)
    }

    @Test("timestamps in nanoseconds from the decimal digits match Python's decimal arithmetic")
    func timestampsMatchPython() {
        for timestamp in CryptofeedFixtures.timestamps {
            #expect(Self.parseNanoseconds(timestamp.text) == timestamp.nanoseconds, "\(timestamp.text)")
        }
    }

    @Test("timestamp conversion is exact where a Double product is not")
    func timestampExactness() {
        #expect(Self.parseNanoseconds("1700000000.123456") == 1_700_000_000_123_456_000)
        #expect(Self.parseNanoseconds("1700140891.596853") == 1_700_140_891_596_853_000)
        // Through the nearest double the same text lands 8 ns off.
        #expect(Int64((1_700_140_891.596853 * 1e9).rounded()) != 1_700_140_891_596_853_000)
        #expect(Self.parseNanoseconds("1.7e9") == 1_700_000_000_000_000_000)
        #expect(Self.parseNanoseconds("17e8") == 1_700_000_000_000_000_000)
        #expect(Self.parseNanoseconds("-1.5") == -1_500_000_000)
        #expect(Self.parseNanoseconds("0.0000000005") == 1)
        #expect(Self.parseNanoseconds("0.00000000049999999999999999999") == 0)
        #expect(Self.parseNanoseconds("9223372036.854775807") == Int64.max)
        #expect(Self.parseNanoseconds("9223372036.854775808") == nil)
        #expect(Self.parseNanoseconds("-9223372036.854775808") == Int64.min)
        #expect(Self.parseNanoseconds("1e30") == nil)
        #expect(Self.parseNanoseconds("NaN") == nil)
        #expect(Self.parseNanoseconds("Infinity") == nil)
    }
}
