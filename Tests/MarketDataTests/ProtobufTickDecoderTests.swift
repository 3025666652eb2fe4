import FulcrumProtocol
import FulcrumTestSupport
import MarketData
import Testing

@Suite("ProtobufTickDecoder")
struct ProtobufTickDecoderTests {
    let decoder = ProtobufTickDecoder()

    /// A random tick covering every field, presence of optionals, extreme and special values.
    static func randomTick(_ rng: inout SplitMix64) -> Fulcrum_V1_Tick {
        func randomString(_ rng: inout SplitMix64) -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.0123456789éü€😀")
            let length = Int.random(in: 0...40, using: &rng)
            return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
        }
        func randomDouble(_ rng: inout SplitMix64) -> Double {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return Double(bitPattern: rng.next())
            case 1: return Double.random(in: 0...100_000, using: &rng)
            case 2: return [0.0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
                .randomElement(using: &rng)!
            default: return -Double.random(in: 0...1e9, using: &rng)
            }
        }
        func randomInt64(_ rng: inout SplitMix64) -> Int64 {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: return Int64(bitPattern: rng.next())
            case 1: return Int64.random(in: -1000...1000, using: &rng)
            default: return baseTime + Int64.random(in: 0...1_000_000_000_000, using: &rng)
            }
        }
        var tick = Fulcrum_V1_Tick()
        if Bool.random(using: &rng) { tick.venue = randomString(&rng) }
        if Bool.random(using: &rng) { tick.symbol = randomString(&rng) }
        if Bool.random(using: &rng) { tick.price = randomDouble(&rng) }
        if Bool.random(using: &rng) { tick.bid = randomDouble(&rng) }
        if Bool.random(using: &rng) { tick.ask = randomDouble(&rng) }
        if Bool.random(using: &rng) { tick.size = randomDouble(&rng) }
        if Bool.random(using: &rng) {
            let raw = [0, 1, 2, 7, -1, Int(Int32.max)].randomElement(using: &rng)!
            tick.side = Fulcrum_V1_Side(rawValue: raw) ?? .unspecified
        }
        if Bool.random(using: &rng) { tick.exchangeTimeNs = randomInt64(&rng) }
        if Bool.random(using: &rng) { tick.receiptTimeNs = randomInt64(&rng) }
        if Bool.random(using: &rng) { tick.feedSequence = rng.next() >> UInt64.random(in: 0...63, using: &rng) }
        return tick
    }

    /// Checks that the decoded fields equal the reference message's, bit for bit.
    static func matches(_ decoded: DecodedTick, _ reference: Fulcrum_V1_Tick, in bytes: UnsafeRawBufferPointer) -> Bool {
        func text(_ t: FrameText) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: bytes[t.offset..<(t.offset + t.count)])) }
        func bits(_ value: Double?) -> UInt64? { value?.bitPattern }
        return text(decoded.venue) == Array(reference.venue.utf8)
            && text(decoded.symbol) == Array(reference.symbol.utf8)
            && decoded.price.bitPattern == reference.price.bitPattern
            && bits(decoded.bid) == (reference.hasBid ? reference.bid.bitPattern : nil)
            && bits(decoded.ask) == (reference.hasAsk ? reference.ask.bitPattern : nil)
            && bits(decoded.size) == (reference.hasSize ? reference.size.bitPattern : nil)
            && Int(decoded.sideValue) == reference.side.rawValue
            && decoded.exchangeTime == reference.exchangeTimeNs
            && decoded.sourceReceiptTime == (reference.hasReceiptTimeNs ? reference.receiptTimeNs : nil)
            && decoded.feedSequence == (reference.hasFeedSequence ? reference.feedSequence : nil)
    }

    @Test("decodes what swift-protobuf encodes, for random ticks")
    func differentialRandomTicks() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<5_000 {
            let reference = Self.randomTick(&rng)
            let bytes = serialized(reference)
            try bytes.withUnsafeBytes { raw in
                let decoded = try decoder.decode(raw)
                #expect(Self.matches(decoded, reference, in: raw))
            }
        }
    }

    @Test("skips unknown fields of every wire type, as swift-protobuf does")
    func unknownFields() throws {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<2_000 {
            let reference = Self.randomTick(&rng)
            var bytes = serialized(reference)
            // Insert unknown fields (numbers 11…2^29−1) at random field boundaries: append is a boundary, and
            // so is the start.
            var unknown: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                unknown += Self.randomUnknownField(&rng, depth: 0)
            }
            bytes = Bool.random(using: &rng) ? unknown + bytes : bytes + unknown
            let parsed = try Fulcrum_V1_Tick(serializedBytes: bytes)
            #expect(parsed.unknownFields.data.count == unknown.count)
            try bytes.withUnsafeBytes { raw in
                let decoded = try decoder.decode(raw)
                #expect(Self.matches(decoded, parsed, in: raw))
                #expect(Self.matches(decoded, reference, in: raw))
            }
        }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func randomUnknownField(_ rng: inout SplitMix64, depth: Int) -> [UInt8] {
        let number = UInt64([11, 12, 15, 16, 100, 2047, 2048, 536_870_911].randomElement(using: &rng)!)
        let wireType = UInt64([0, 1, 2, 3, 5].randomElement(using: &rng)!)
        if wireType == 3 && depth >= 3 { return randomUnknownField(&rng, depth: depth) }
        var out = varint(number << 3 | wireType)
        switch wireType {
        case 0: out += varint(rng.next() >> UInt64.random(in: 0...63, using: &rng))
        case 1: out += (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 2:
            let length = Int.random(in: 0...20, using: &rng)
            out += varint(UInt64(length)) + (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 3:
            // A group may contain known field numbers; inside the group they belong to the unknown field.
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                if Bool.random(using: &rng) {
                    out += varint(3 << 3 | 1) + (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
                } else {
                    out += randomUnknownField(&rng, depth: depth + 1)
                }
            }
            out += varint(number << 3 | 4)
        default: out += (0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        return out
    }

    @Test("every prefix of a valid message either decodes like swift-protobuf or is rejected")
    func truncations() throws {
        var rng = SplitMix64(seed: 3)
        var rejectedPrefixes = 0
        for _ in 0..<400 {
            var bytes = serialized(Self.randomTick(&rng))
            if Bool.random(using: &rng) { bytes += Self.randomUnknownField(&rng, depth: 0) }
            for length in 0...bytes.count {
                let prefix = Array(bytes[0..<length])
                let reference = try? Fulcrum_V1_Tick(serializedBytes: prefix)
                prefix.withUnsafeBytes { raw in
                    do {
                        let decoded = try decoder.decode(raw)
                        // Accepted prefixes end on a field boundary: swift-protobuf must agree on every field.
                        #expect(reference != nil)
                        if let reference { #expect(Self.matches(decoded, reference, in: raw)) }
                    } catch {
                        rejectedPrefixes += 1
                        let reason = error as? RejectionReason
                        #expect(reason == .truncatedProtobuf || reason == .invalidProtobuf)
                        #expect(reference == nil)
                    }
                }
            }
        }
        #expect(rejectedPrefixes > 1_000)
    }

    @Test("rejects malformed input", arguments: [
        ([0x19], RejectionReason.truncatedProtobuf),                                  // field 3, no value
        ([0x19, 1, 2, 3], .truncatedProtobuf),                                       // fixed64 cut short
        ([0x0A, 5, 0x41], .truncatedProtobuf),                                       // string longer than input
        ([0x40, 0x80], .truncatedProtobuf),                                          // varint cut short
        ([0x00, 0x01], .invalidProtobuf),                                            // field number 0
        ([0x1E], .invalidProtobuf),                                                  // wire type 6
        ([0x1F], .invalidProtobuf),                                                  // wire type 7
        ([0x18, 0x01], .invalidProtobuf),                                            // price (double) as varint
        ([0x0D, 1, 2, 3, 4], .invalidProtobuf),                                      // venue as fixed32
        ([0x42, 0x00], .invalidProtobuf),                                            // exchange time as bytes
        ([0x40, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], .invalidProtobuf), // 11 bytes
        ([0x40, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], .invalidProtobuf), // > 64 bits
        ([0x5C], .invalidProtobuf),                                                  // end group outside a group
        ([0x5B, 0x64], .invalidProtobuf),                                            // group 11 closed as 12
        ([0x5B, 0x58, 0x00], .truncatedProtobuf),                                    // group never closed
        ([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], .invalidProtobuf),                    // length ≥ 2 GiB
        ([0xFA, 0xFF, 0xFF, 0xFF, 0x7F, 0x00], .invalidProtobuf),                    // tag above 32 bits
    ] as [([UInt8], RejectionReason)])
    func malformed(bytes: [UInt8], reason: RejectionReason) {
        bytes.withUnsafeBytes { raw in
            _ = #expect(throws: reason) { try decoder.decode(raw) }
        }
    }

    @Test("varints of every length decode alike with and without eight bytes left after them")
    func varintLengths() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<4_000 {
            let value = rng.next() >> UInt64.random(in: 0...63, using: &rng)
            // An unknown length-delimited field 11 of 0 … 12 bytes after the varint, or nothing.
            let padding = Int.random(in: -1...10, using: &rng)
            let trailer: [UInt8] = padding < 0 ? [] : [0x5A, UInt8(padding)] + Array(repeating: 0x41, count: padding)
            let bytes = [0x50] + Self.varint(value) + trailer
            let decoded = try bytes.withUnsafeBytes { try decoder.decode($0) }
            #expect(decoded.feedSequence == value)
            #expect(try Fulcrum_V1_Tick(serializedBytes: bytes).feedSequence == value)
        }
        let continuing: [UInt8] = Array(repeating: 0x80, count: 9)
        let trailer: [UInt8] = [0x5A, 0x08] + Array(repeating: 0x41, count: 8)
        for (bytes, reason) in [
            ([0x50] + continuing, RejectionReason.truncatedProtobuf),
            ([0x50] + continuing + [0x80] + trailer, .invalidProtobuf),
            ([0x50] + continuing + [0x02] + trailer, .invalidProtobuf),
        ] as [([UInt8], RejectionReason)] {
            bytes.withUnsafeBytes { raw in
                _ = #expect(throws: reason) { try decoder.decode(raw) }
            }
        }
    }

    @Test("a ten-byte varint carrying bit 63 is valid")
    func tenByteVarint() throws {
        let bytes: [UInt8] = [0x40, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        let decoded = try bytes.withUnsafeBytes { try decoder.decode($0) }
        #expect(decoded.exchangeTime == Int64.min)
        #expect(try Fulcrum_V1_Tick(serializedBytes: bytes).exchangeTimeNs == Int64.min)
    }

    @Test("nested groups deeper than the limit are rejected, shallower ones skipped")
    func groupDepth() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array(repeating: 0x5B, count: depth) + Array(repeating: 0x5C, count: depth)
        }
        try nested(ProtobufTickDecoder.maximumGroupDepth).withUnsafeBytes { _ = try decoder.decode($0) }
        nested(ProtobufTickDecoder.maximumGroupDepth + 1).withUnsafeBytes { raw in
            _ = #expect(throws: RejectionReason.invalidProtobuf) { try decoder.decode(raw) }
        }
    }

    @Test("the last occurrence of a repeated singular field wins")
    func lastOneWins() throws {
        let first = serialized(protobufTick(price: 1, exchangeTime: 5))
        let second = serialized(protobufTick(price: 2, exchangeTime: 7))
        let bytes = first + second
        let reference = try Fulcrum_V1_Tick(serializedBytes: bytes)
        try bytes.withUnsafeBytes { raw in
            let decoded = try decoder.decode(raw)
            #expect(decoded.exchangeTime == 7)
            #expect(Self.matches(decoded, reference, in: raw))
        }
    }

    @Test("an empty buffer is an all-default tick")
    func empty() throws {
        let decoded = try [UInt8]().withUnsafeBytes { try decoder.decode($0) }
        #expect(decoded == DecodedTick())
    }
}
