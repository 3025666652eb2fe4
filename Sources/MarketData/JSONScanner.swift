/// A strict, allocation-free JSON tokenizer over a received frame (RFC 8259, plus Python's `NaN`, `Infinity` and
/// `-Infinity`, which `json.dumps` writes for non-finite floats).
///
/// It never builds a tree: the caller walks the top-level object and asks for each value either to be located
/// (strings and numbers come back as ``FrameText`` positions) or skipped. Skipping validates the whole nested
/// value by recursive descent, at most ``maximumDepth`` levels deep, so `}` inside strings, escaped quotes and
/// mismatched brackets are all handled. Raw bytes ≥ 0x80 inside strings are passed through unchecked.
struct JSONScanner {
    /// Deepest nesting of objects and arrays accepted.
    static let maximumDepth = 64

    /// What a located value is.
    enum ValueKind: UInt8 {
        case string, number, null, boolean, composite
    }

    let base: UnsafeRawPointer
    let end: Int
    var index: Int

    init(base: UnsafeRawPointer, start: Int, end: Int) {
        self.base = base
        self.index = start
        self.end = end
    }

    @inline(__always)
    func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    /// The byte at the cursor, or 0 at the end (0 never starts a valid token).
    @inline(__always)
    var current: UInt8 { index < end ? byte(index) : 0 }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            let b = byte(index)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index &+= 1
        }
    }

    @inline(__always)
    mutating func expect(_ expected: UInt8) throws(RejectionReason) {
        guard index < end, byte(index) == expected else { throw .invalidJSON }
        index &+= 1
    }

    /// Scans a string whose opening quote is at the cursor; returns its content (without quotes).
    ///
    /// Runs of ordinary bytes are skipped eight at a time (SWAR): a byte is special when it is a quote
    /// (`b ^ 0x22 == 0`), a backslash (`b ^ 0x5C == 0`) or a control character (`b < 0x20`). The zero-byte and
    /// less-than tests `(x − 0x01…) & ~x & 0x80…` may flag bytes above a special one (borrows run upwards), never
    /// below it, so the lowest flag is always the first special byte and the cursor jumps straight to it.
    mutating func scanString() throws(RejectionReason) -> FrameText {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        while true {
            if end &- index >= 8 {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let flags = (((quote &- 0x0101_0101_0101_0101) & ~quote)
                    | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                    | ((word &- 0x2020_2020_2020_2020) & ~word)) & 0x8080_8080_8080_8080
                if flags == 0 {
                    index &+= 8
                    continue
                }
                index &+= flags.trailingZeroBitCount &>> 3
            } else {
                guard index < end else { throw .invalidJSON }
            }
            let b = byte(index)
            if b == UInt8(ascii: "\"") {
                let text = FrameText(offset: start, count: index &- start, isJSONEscaped: escaped)
                index &+= 1
                return text
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                index &+= 1
                guard index < end else { throw .invalidJSON }
                switch byte(index) {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index &+= 1
                case UInt8(ascii: "u"):
                    guard end &- index >= 5 else { throw .invalidJSON }
                    for offset in 1...4 where Self.hexValue(byte(index &+ offset)) == nil { throw .invalidJSON }
                    index &+= 5
                default:
                    throw .invalidJSON
                }
                continue
            }
            // Control characters must be escaped inside JSON strings.
            guard b >= 0x20 else { throw .invalidJSON }
            index &+= 1
        }
    }

    /// Scans a number token (including `NaN`, `Infinity`, `-Infinity`) at the cursor and parses it in the same
    /// pass; the token must be followed by a delimiter (not by more number-like characters).
    mutating func scanNumber() throws(RejectionReason) -> (text: FrameText, number: DecimalNumber) {
        let start = index
        guard let (number, length) = DecimalNumber.parsePrefix(base + start, end &- start) else { throw .invalidJSON }
        index &+= length
        if index < end {
            let b = byte(index)
            let isDigit = b &- UInt8(ascii: "0") < 10
            let isLetter = (b | 0x20) &- UInt8(ascii: "a") < 26
            guard !(isDigit || isLetter || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "."))
            else { throw .invalidJSON }
        }
        return (FrameText(offset: start, count: length), number)
    }

    /// Scans `true`, `false` or `null`; returns the kind.
    mutating func scanLiteral() throws(RejectionReason) -> ValueKind {
        switch current {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .boolean
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .boolean
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw .invalidJSON
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(RejectionReason) {
        let length = literal.utf8CodeUnitCount
        guard end &- index >= length else { throw .invalidJSON }
        let expected = literal.utf8Start
        for offset in 0..<length where byte(index &+ offset) != expected[offset] { throw .invalidJSON }
        index &+= length
    }

    /// Locates the value at the cursor: strings and numbers come back with their position (numbers parsed),
    /// composites are skipped (and validated).
    mutating func scanValue() throws(RejectionReason) -> (kind: ValueKind, text: FrameText, number: DecimalNumber?) {
        let b = current
        switch b {
        case UInt8(ascii: "\""):
            return (.string, try scanString(), nil)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue(depth: 1)
            return (.composite, .empty, nil)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return (try scanLiteral(), .empty, nil)
        default:
            let (text, number) = try scanNumber()
            return (.number, text, number)
        }
    }

    /// Skips one complete value at the cursor, validating it.
    mutating func skipValue(depth: Int) throws(RejectionReason) {
        switch current {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: depth)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try scanLiteral()
        default:
            _ = try scanNumber()
        }
    }

    /// Skips the object or array at the cursor: members are `"key": value` in an object, bare values in an array.
    mutating func skipContainer(depth: Int) throws(RejectionReason) {
        guard depth <= Self.maximumDepth else { throw .invalidJSON }
        let isObject = current == UInt8(ascii: "{")
        let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        index &+= 1
        skipWhitespace()
        if current == closing {
            index &+= 1
            return
        }
        while true {
            skipWhitespace()
            if isObject {
                _ = try scanString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
            }
            try skipValue(depth: depth &+ 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index &+= 1
                continue
            }
            try expect(closing)
            return
        }
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Resolves the escapes of a JSON string body into UTF-8 in `output`; returns the length, or `nil` if an
    /// escape is malformed, a `\u` escape is a lone surrogate, or the result does not fit.
    static func unescape(_ raw: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var i = 0
        var o = 0
        let n = raw.count
        let capacity = output.count
        @inline(__always) func put(_ b: UInt8) -> Bool {
            guard o < capacity else { return false }
            output[o] = b
            o &+= 1
            return true
        }
        @inline(__always) func hex4(at position: Int) -> UInt32? {
            guard n &- position >= 4 else { return nil }
            var value: UInt32 = 0
            for k in 0..<4 {
                guard let digit = hexValue(raw[position &+ k]) else { return nil }
                value = value &<< 4 | digit
            }
            return value
        }
        while i < n {
            let b = raw[i]
            if b != UInt8(ascii: "\\") {
                guard put(b) else { return nil }
                i &+= 1
                continue
            }
            guard i &+ 1 < n else { return nil }
            let kind = raw[i &+ 1]
            i &+= 2
            let simple: UInt8
            switch kind {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"):
                guard var scalar = hex4(at: i) else { return nil }
                i &+= 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard n &- i >= 6, raw[i] == UInt8(ascii: "\\"), raw[i &+ 1] == UInt8(ascii: "u"),
                          let low = hex4(at: i &+ 2), low >= 0xDC00 && low < 0xE000 else { return nil }
                    i &+= 6
                    scalar = 0x10000 &+ ((scalar &- 0xD800) &<< 10) &+ (low &- 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    return nil
                }
                guard encodeUTF8(scalar, put) else { return nil }
                continue
            default:
                return nil
            }
            guard put(simple) else { return nil }
        }
        return o
    }

    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, _ put: (UInt8) -> Bool) -> Bool {
        switch scalar {
        case 0..<0x80:
            return put(UInt8(scalar))
        case 0x80..<0x800:
            return put(UInt8(0xC0 | scalar &>> 6)) && put(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            return put(UInt8(0xE0 | scalar &>> 12)) && put(UInt8(0x80 | (scalar &>> 6) & 0x3F))
                && put(UInt8(0x80 | scalar & 0x3F))
        default:
            return put(UInt8(0xF0 | scalar &>> 18)) && put(UInt8(0x80 | (scalar &>> 12) & 0x3F))
                && put(UInt8(0x80 | (scalar &>> 6) & 0x3F)) && put(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
