/// A decimal number exactly as written in a JSON text, kept as digits and a power of ten.
///
/// Parsing keeps the first 19 significant digits in ``mantissa`` (19 digits always fit in a `UInt64`) and
/// remembers whether any non-zero digit was dropped after them, so that conversions can round correctly from the
/// decimal digits instead of from an already rounded `Double`.
struct DecimalNumber: Sendable, Equatable {
    /// Whether the number is finite, or one of the non-standard tokens Python's `json` writes.
    enum Kind: UInt8, Sendable {
        case finite, notANumber, infinity
    }

    /// Finite, `NaN`, or `Infinity` / `-Infinity`.
    var kind: Kind = .finite
    /// Sign (also set for `-0` and `-Infinity`).
    var isNegative = false
    /// The first (at most 19) significant digits as an integer.
    var mantissa: UInt64 = 0
    /// Power of ten of the last kept digit: the value is `mantissa × 10^exponent` plus any dropped digits.
    var exponent = 0
    /// Number of significant digits kept in ``mantissa``.
    var keptDigits = 0
    /// Whether digits were dropped after the 19th significant digit.
    var hasDroppedDigits = false
    /// Whether a non-zero digit was dropped (the kept digits are then strictly below the true value).
    var isTruncated = false
    /// The first dropped digit (0 when nothing was dropped).
    var firstDroppedDigit: UInt8 = 0

    /// Most significant digits kept; 10^19 − 1 < 2^64.
    static let maximumKeptDigits = 19
    /// Exponent digits beyond this magnitude cannot change the result (it is already ±∞ or 0).
    static let exponentSaturation = 100_000_000

    /// Parses a complete JSON number token: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, or one of Python's
    /// `NaN`, `Infinity`, `-Infinity`. Returns `nil` unless the whole of `count` bytes is one such token.
    static func parse(_ base: UnsafeRawPointer, _ count: Int) -> DecimalNumber? {
        guard let (number, length) = parsePrefix(base, count), length == count else { return nil }
        return number
    }

    /// Parses the longest prefix of the `count` bytes that the number grammar allows and returns it with its
    /// length; `nil` if the bytes do not start with a number. The caller decides what may follow it.
    static func parsePrefix(_ base: UnsafeRawPointer, _ count: Int) -> (DecimalNumber, Int)? {
        guard count > 0 else { return nil }
        @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        var index = 0
        var negative = false
        if byte(0) == UInt8(ascii: "-") {
            negative = true
            index = 1
            guard index < count else { return nil }
        }
        let lead = byte(index)
        if lead == UInt8(ascii: "N") || lead == UInt8(ascii: "I") {
            var special = DecimalNumber()
            special.isNegative = negative
            if lead == UInt8(ascii: "N") {
                guard !negative, hasPrefix(base, index, count, "NaN") else { return nil }
                special.kind = .notANumber
                return (special, index &+ 3)
            }
            guard hasPrefix(base, index, count, "Infinity") else { return nil }
            special.kind = .infinity
            return (special, index &+ 8)
        }

        // The digit loops work on locals so that they stay in registers.
        var mantissa: UInt64 = 0
        var kept = 0
        var exponent = 0
        var dropped = false
        var truncated = false
        var firstDropped: UInt8 = 0
        @inline(__always) func drop(_ digit: UInt8) {
            if !dropped {
                dropped = true
                firstDropped = digit
            }
            if digit != 0 { truncated = true }
        }

        // Integer part.
        if lead == UInt8(ascii: "0") {
            index &+= 1
        } else if lead &- UInt8(ascii: "1") < 9 {
            while count &- index >= 8 && kept <= maximumKeptDigits &- 8,
                  let eight = eightDigits(base, index) {
                mantissa = mantissa &* 100_000_000 &+ eight
                kept &+= 8
                index &+= 8
            }
            while index < count {
                let digit = byte(index) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if kept < maximumKeptDigits {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    kept &+= 1
                } else {
                    exponent &+= 1
                    drop(digit)
                }
                index &+= 1
            }
        } else {
            return nil
        }

        // Fraction.
        if index < count && byte(index) == UInt8(ascii: ".") {
            index &+= 1
            let start = index
            while index < count {
                if mantissa != 0 {
                    while count &- index >= 8 && kept <= maximumKeptDigits &- 8,
                          let eight = eightDigits(base, index) {
                        mantissa = mantissa &* 100_000_000 &+ eight
                        kept &+= 8
                        exponent &-= 8
                        index &+= 8
                    }
                    guard index < count else { break }
                }
                let digit = byte(index) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if kept < maximumKeptDigits {
                    if mantissa != 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        kept &+= 1
                    }
                    // A leading zero of the fraction only moves the decimal point.
                    exponent &-= 1
                } else {
                    drop(digit)
                }
                index &+= 1
            }
            guard index > start else { return nil }
        }

        // Exponent.
        if index < count && (byte(index) | 0x20) == UInt8(ascii: "e") {
            index &+= 1
            guard index < count else { return nil }
            var exponentNegative = false
            let sign = byte(index)
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                index &+= 1
            }
            let start = index
            var value = 0
            while index < count {
                let digit = byte(index) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if value < exponentSaturation { value = value &* 10 &+ Int(digit) }
                index &+= 1
            }
            guard index > start else { return nil }
            value = min(value, exponentSaturation)
            exponent = exponentNegative ? exponent &- value : exponent &+ value
        }
        var number = DecimalNumber()
        number.isNegative = negative
        number.mantissa = mantissa
        number.exponent = exponent
        number.keptDigits = kept
        number.hasDroppedDigits = dropped
        number.isTruncated = truncated
        number.firstDroppedDigit = firstDropped
        return (number, index)
    }

    /// The value of eight ASCII digits at `base + index`, or `nil` if any of the eight bytes is not a digit.
    ///
    /// SWAR: a byte is a digit when its high nibble is 3 and adding 6 does not carry into it. The value is
    /// assembled by pairwise multiply-adds (digits → 2-digit → 4-digit → 8-digit lanes); every product stays
    /// within its 64-bit lane arithmetic, so the result is exact.
    @inline(__always)
    static func eightDigits(_ base: UnsafeRawPointer, _ index: Int) -> UInt64? {
        var word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        word &-= 0x3030_3030_3030_3030
        word = word &* 10 &+ (word &>> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let multiplier1: UInt64 = 100 &+ (1_000_000 &<< 32)
        let multiplier2: UInt64 = 1 &+ (10_000 &<< 32)
        return (((word & mask) &* multiplier1) &+ (((word &>> 16) & mask) &* multiplier2)) &>> 32
    }

    @inline(__always)
    private static func hasPrefix(
        _ base: UnsafeRawPointer, _ index: Int, _ count: Int, _ literal: StaticString
    ) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard count &- index >= length else { return false }
        let expected = literal.utf8Start
        for offset in 0..<length where base.load(fromByteOffset: index &+ offset, as: UInt8.self) != expected[offset] {
            return false
        }
        return true
    }

    /// The value times `10^decimalShift`, rounded to the nearest integer (halves away from zero), if it fits an
    /// `Int64`; `nil` for non-finite values or overflow.
    ///
    /// Used for timestamps: `scaledInteger(decimalShift: 9)` turns epoch seconds into nanoseconds from the decimal
    /// digits, so `1700000000.123456` becomes exactly `1700000000123456000` — multiplying the nearest `Double`
    /// by `1e9` would give `1700000000123456001` or similar.
    func scaledInteger(decimalShift: Int) -> Int64? {
        guard kind == .finite else { return nil }
        guard mantissa != 0 else { return 0 }
        let shift = exponent &+ decimalShift
        var magnitude: UInt64
        if shift >= 0 {
            // With dropped non-zero digits and shift ≥ 1 the value has more than 19 integer digits: too large.
            guard shift <= 19, !(isTruncated && shift > 0) else { return nil }
            let scaled = mantissa.multipliedReportingOverflow(by: Self.powerOfTenUInt64(shift))
            guard !scaled.overflow else { return nil }
            magnitude = scaled.partialValue
            if shift == 0 && hasDroppedDigits && firstDroppedDigit >= 5 {
                let rounded = magnitude.addingReportingOverflow(1)
                guard !rounded.overflow else { return nil }
                magnitude = rounded.partialValue
            }
        } else {
            let places = 0 &- shift
            if places > 19 {
                // mantissa < 10^19, so the value is below 0.1 of a unit.
                magnitude = 0
            } else {
                let divisor = Self.powerOfTenUInt64(places)
                let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
                magnitude = quotient
                // remainder ≥ divisor/2 (divisor is even); dropped digits cannot lift a smaller remainder to half.
                if remainder >= divisor &- remainder { magnitude &+= 1 }
            }
        }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) &+ 1 else { return nil }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// 10^n for 0 ≤ n ≤ 19.
    @inline(__always)
    static func powerOfTenUInt64(_ n: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<n { result &*= 10 }
        return result
    }
}
