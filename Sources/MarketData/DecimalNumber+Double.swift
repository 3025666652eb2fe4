extension DecimalNumber {
    /// Exactly representable powers of ten, 10^0 … 10^22 (10^22 < 2^53 · 2^22, so each is a `Double` exactly).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Limbs per big integer of the exact comparison; see ``correctlyRounded(_:_:)`` for the bound.
    static let limbCapacity = 32

    /// The correctly rounded (nearest, ties to even) `Double` of the number.
    ///
    /// `token` must be the bytes the number was parsed from; they are only read in the rare case described in
    /// ``correctlyRounded(_:_:)`` for numbers with more than 19 significant digits.
    func doubleValue(token: UnsafeRawBufferPointer) -> Double {
        let magnitude: Double
        switch kind {
        case .notANumber: return .nan
        case .infinity: magnitude = .infinity
        case .finite:
            if mantissa == 0 {
                magnitude = 0
            } else if !isTruncated {
                magnitude = Self.correctlyRounded(mantissa, exponent)
            } else {
                // The true value lies strictly between m·10^q and (m+1)·10^q; rounding is monotonic, so if both
                // ends round to the same double, so does the value.
                let low = Self.correctlyRounded(mantissa, exponent)
                let high = Self.correctlyRounded(mantissa &+ 1, exponent)
                if low == high {
                    magnitude = low
                } else if let exact = Self.roundUsingAllDigits(token, low: low, high: high) {
                    // More than 19 significant digits and within one unit of the 19th digit of a rounding
                    // boundary: only the full digit string decides. This cannot happen for the shortest
                    // round-trip representation of any double (at most 17 digits).
                    magnitude = exact
                } else {
                    // Unreachable for tokens of any length (the operands fit the limb buffers); kept so that a
                    // bug degrades to an allocation, never to a wrong price.
                    let text = String(decoding: token, as: UTF8.self)
                    return Double(text) ?? .nan
                }
            }
        }
        return isNegative ? -magnitude : magnitude
    }

    /// The correctly rounded `Double` nearest to `w · 10^q` (ties to even), for `w > 0`.
    ///
    /// Fast path (Clinger): when `w ≤ 2^53` and `|q| ≤ 22`, both `w` and `10^|q|` are exact doubles and IEEE
    /// multiplication or division rounds once, so the result is correctly rounded. The same holds for
    /// `w · 10^(q−22) ≤ 2^53` with `q > 22`, moving the excess power into the integer.
    ///
    /// Otherwise (slow path, Clinger's "AlgorithmR" in spirit): start from an approximation `z` within a few
    /// units in the last place, then compare the exact decimal value with the exact midpoints between `z` and
    /// its neighbours, `(2m ± 1)·2^(e−1)`, using integer arithmetic on both sides
    /// (`w·5^q·2^q` versus `c·2^t`, powers of five moved to the side where they multiply), and step `z` one
    /// unit until the value lies between its midpoints. The comparisons are exact, so the result is correctly
    /// rounded including subnormals, halfway cases and overflow to infinity. For `|q| ≤ 343` after the range
    /// checks, no operand exceeds 1,200 bits, well inside 32 limbs; the limbs live on the stack.
    static func correctlyRounded(_ w: UInt64, _ q: Int) -> Double {
        if w <= 1 << 53 {
            if q >= 0 && q <= 22 { return Double(w) * exactPowersOfTen[q] }
            if q < 0 && q >= -22 { return Double(w) / exactPowersOfTen[0 &- q] }
            if q > 22 && q <= 22 + 15 {
                let scaled = w.multipliedReportingOverflow(by: powerOfTenUInt64(q &- 22))
                if !scaled.overflow && scaled.partialValue <= 1 << 53 {
                    return Double(scaled.partialValue) * exactPowersOfTen[22]
                }
            }
        }
        let digits = decimalDigitCount(w)
        // w·10^q ≥ 10^(digits+q−1) ≥ 10^309 > greatestFiniteMagnitude (≈1.8·10^308) rounds to infinity.
        if digits &+ q &- 1 >= 309 { return .infinity }
        // w·10^q < 10^(digits+q) ≤ 10^−324 < 2^−1075 (half the smallest subnormal) rounds to zero.
        if digits &+ q <= -324 { return 0 }
        return slowPath(w, q)
    }

    /// Number of decimal digits of `w > 0`.
    @inline(__always)
    static func decimalDigitCount(_ w: UInt64) -> Int {
        var digits = 1
        var bound: UInt64 = 10
        while digits < 20 && w >= bound {
            digits &+= 1
            if digits < 20 { bound &*= 10 }
        }
        return digits
    }

    private static func approximation(_ w: UInt64, _ q: Int) -> Double {
        var z = Double(w)
        if q > 0 {
            var k = q
            while k > 22 {
                z *= 1e22
                k &-= 22
            }
            z *= exactPowersOfTen[k]
        } else if q < 0 {
            var k = 0 &- q
            while k > 22 {
                z /= 1e22
                k &-= 22
            }
            z /= exactPowersOfTen[k]
        }
        return z
    }

    private static func slowPath(_ w: UInt64, _ q: Int) -> Double {
        var z = approximation(w, q)
        if z.isInfinite { z = .greatestFiniteMagnitude }
        let capacity = limbCapacity
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 4 &* capacity) { buffer -> Double in
            guard let storage = buffer.baseAddress else { return z }
            let power = storage
            let left = storage + capacity
            let right = storage + 2 &* capacity
            let shifted = storage + 3 &* capacity
            var powerCount = 0
            LimbArithmetic.set(power, &powerCount, 1)
            let fiveExponent = q >= 0 ? q : 0 &- q
            guard LimbArithmetic.multiplyByPowerOfFive(power, &powerCount, capacity: capacity, exponent: fiveExponent)
            else { return z }

            // Three-way comparison of w·10^q with c·2^t.
            func compareValue(withMultiplier c: UInt64, twoExponent t: Int) -> Int? {
                var leftCount = 0
                var rightCount = 0
                if q >= 0 {
                    // w·5^q·2^q  vs  c·2^t
                    LimbArithmetic.copy(power, powerCount, into: left, &leftCount)
                    guard LimbArithmetic.multiply(left, &leftCount, capacity: capacity, by: w) else { return nil }
                    LimbArithmetic.set(right, &rightCount, c)
                } else {
                    // w·2^q  vs  c·5^(−q)·2^t
                    LimbArithmetic.set(left, &leftCount, w)
                    LimbArithmetic.copy(power, powerCount, into: right, &rightCount)
                    guard LimbArithmetic.multiply(right, &rightCount, capacity: capacity, by: c) else { return nil }
                }
                var shiftedCount = 0
                let difference = q &- t
                if difference >= 0 {
                    guard LimbArithmetic.shiftLeft(
                        left, leftCount, into: shifted, &shiftedCount, capacity: capacity, bits: difference)
                    else { return nil }
                    return LimbArithmetic.compare(shifted, shiftedCount, right, rightCount)
                } else {
                    guard LimbArithmetic.shiftLeft(
                        right, rightCount, into: shifted, &shiftedCount, capacity: capacity, bits: 0 &- difference)
                    else { return nil }
                    return LimbArithmetic.compare(left, leftCount, shifted, shiftedCount)
                }
            }

            // The approximation is within a few units in the last place; the bound only guards against bugs.
            for _ in 0..<256 {
                let bits = z.bitPattern
                let biasedExponent = Int((bits &>> 52) & 0x7FF)
                let fraction = bits & ((1 << 52) &- 1)
                let m: UInt64
                let e: Int
                if biasedExponent == 0 {
                    m = fraction
                    e = -1074
                } else {
                    m = fraction | (1 << 52)
                    e = biasedExponent &- 1075
                }
                let mIsOdd = m & 1 == 1
                // Upper midpoint (2m+1)·2^(e−1).
                guard let upper = compareValue(withMultiplier: 2 &* m &+ 1, twoExponent: e &- 1) else { return z }
                if upper > 0 || (upper == 0 && mIsOdd) {
                    if z == .greatestFiniteMagnitude { return .infinity }
                    z = z.nextUp
                    continue
                }
                if z > 0 {
                    // Below a power of two the spacing halves: the lower midpoint is (4m−1)·2^(e−2).
                    let lowerIsCloser = biasedExponent > 1 && fraction == 0
                    let lower = lowerIsCloser
                        ? compareValue(withMultiplier: 4 &* m &- 1, twoExponent: e &- 2)
                        : compareValue(withMultiplier: 2 &* m &- 1, twoExponent: e &- 1)
                    guard let lower else { return z }
                    if lower < 0 || (lower == 0 && mIsOdd) {
                        z = z.nextDown
                        continue
                    }
                }
                return z
            }
            return z
        }
    }

    /// Significant digits read exactly by ``roundUsingAllDigits(_:low:high:)``; later non-zero digits only break
    /// ties. Any midpoint between two doubles has at most 767 significant digits, so 780 decide every case.
    static let exactDigitLimit = 780
    /// Limbs per big integer in ``roundUsingAllDigits(_:low:high:)``: 780 digits (2,592 bits) times 5^309, or
    /// 2^1,100 shifts, stay below 4,096 bits.
    static let wideLimbCapacity = 64

    /// Chooses between the adjacent doubles `low < high` that bracket the number written in `token`, by comparing
    /// the exact decimal value (all of its digits, as a big integer `D·10^q`) with their midpoint
    /// `(2m+1)·2^(e−1)` (`low = m·2^e`); ties go to the even significand, and non-zero digits beyond
    /// ``exactDigitLimit`` count as "above". Returns `nil` only if an operand would not fit the stack buffers.
    static func roundUsingAllDigits(_ token: UnsafeRawBufferPointer, low: Double, high: Double) -> Double? {
        let capacity = wideLimbCapacity
        return LimbArithmetic.withThreeBuffers(capacity: capacity) { digits, other, shifted -> Double? in
            var digitCount = 0
            LimbArithmetic.set(digits, &digitCount, 0)

            // D and q such that the value is D·10^q (+ sticky digits).
            var kept = 0
            var scale = 0
            var sticky = false
            var chunk: UInt64 = 0
            var chunkDigits = 0
            var index = 0
            let count = token.count
            var inFraction = false
            func flush() -> Bool {
                guard chunkDigits > 0 else { return true }
                guard LimbArithmetic.multiply(
                    digits, &digitCount, capacity: capacity, by: powerOfTenUInt64(chunkDigits)) || digitCount == 0
                else { return false }
                if digitCount == 0 {
                    LimbArithmetic.set(digits, &digitCount, chunk)
                } else {
                    guard LimbArithmetic.add(digits, &digitCount, capacity: capacity, chunk) else { return false }
                }
                chunk = 0
                chunkDigits = 0
                return true
            }
            if index < count && token[index] == UInt8(ascii: "-") { index &+= 1 }
            while index < count {
                let byte = token[index]
                if byte == UInt8(ascii: ".") {
                    inFraction = true
                    index &+= 1
                    continue
                }
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                index &+= 1
                if kept == 0 && digit == 0 {
                    if inFraction { scale &-= 1 }
                    continue
                }
                if kept < exactDigitLimit {
                    chunk = chunk &* 10 &+ UInt64(digit)
                    chunkDigits &+= 1
                    kept &+= 1
                    if chunkDigits == 19 { guard flush() else { return nil } }
                    if inFraction { scale &-= 1 }
                } else {
                    if digit != 0 { sticky = true }
                    if !inFraction { scale &+= 1 }
                }
            }
            guard flush() else { return nil }
            if index < count && (token[index] | 0x20) == UInt8(ascii: "e") {
                index &+= 1
                var negative = false
                if index < count && (token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-")) {
                    negative = token[index] == UInt8(ascii: "-")
                    index &+= 1
                }
                var value = 0
                while index < count, token[index] &- UInt8(ascii: "0") < 10 {
                    if value < exponentSaturation { value = value &* 10 &+ Int(token[index] &- UInt8(ascii: "0")) }
                    index &+= 1
                }
                scale = negative ? scale &- min(value, exponentSaturation) : scale &+ min(value, exponentSaturation)
            }
            // Only values near the double range reach this point (low ≠ high), so |scale| stays near 1,100.
            guard scale > -2_000 && scale < 2_000 else { return nil }

            // Midpoint (2m+1)·2^(e−1) of low = m·2^e.
            let bits = low.bitPattern
            let biasedExponent = Int((bits &>> 52) & 0x7FF)
            let fraction = bits & ((1 << 52) &- 1)
            let m = biasedExponent == 0 ? fraction : fraction | (1 << 52)
            let e = biasedExponent == 0 ? -1074 : biasedExponent &- 1075
            let c = 2 &* m &+ 1
            let t = e &- 1

            // Compare D·5^q·2^q with c·2^t, moving 5^|q| to the side where it multiplies.
            var otherCount = 0
            LimbArithmetic.set(other, &otherCount, c)
            if scale >= 0 {
                guard LimbArithmetic.multiplyByPowerOfFive(digits, &digitCount, capacity: capacity, exponent: scale)
                else { return nil }
            } else {
                guard LimbArithmetic.multiplyByPowerOfFive(other, &otherCount, capacity: capacity, exponent: 0 &- scale)
                else { return nil }
            }
            var shiftedCount = 0
            let comparison: Int
            if scale &- t >= 0 {
                guard LimbArithmetic.shiftLeft(
                    digits, digitCount, into: shifted, &shiftedCount, capacity: capacity, bits: scale &- t)
                else { return nil }
                comparison = LimbArithmetic.compare(shifted, shiftedCount, other, otherCount)
            } else {
                guard LimbArithmetic.shiftLeft(
                    other, otherCount, into: shifted, &shiftedCount, capacity: capacity, bits: t &- scale)
                else { return nil }
                comparison = LimbArithmetic.compare(digits, digitCount, shifted, shiftedCount)
            }
            if comparison > 0 || (comparison == 0 && sticky) { return high }
            if comparison < 0 { return low }
            return m & 1 == 0 ? low : high
        }
    }
}
