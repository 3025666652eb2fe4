/// Little-endian arbitrary-precision unsigned integers in caller-provided (stack) limb buffers.
///
/// Only what exact decimal→binary rounding needs: set, multiply by a word, multiply by a power of five, shift
/// left, and compare. Every operation checks the buffer capacity and reports failure instead of overflowing it.
enum LimbArithmetic {
    /// Calls `body` with three stack buffers of `capacity` limbs each (`nil` if a buffer could not be had).
    ///
    /// Separate allocations of at most 1 KiB each: the standard library places temporary allocations up to that
    /// size on the stack unconditionally, larger ones only after a run-time check that may choose the heap.
    static func withThreeBuffers<R>(
        capacity: Int,
        _ body: (UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> R?
    ) -> R? {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { first -> R? in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { second -> R? in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { third -> R? in
                    guard let a = first.baseAddress, let b = second.baseAddress, let c = third.baseAddress else {
                        return nil
                    }
                    return body(a, b, c)
                }
            }
        }
    }

    /// `x ← value`.
    @inline(__always)
    static func set(_ x: UnsafeMutablePointer<UInt64>, _ count: inout Int, _ value: UInt64) {
        x[0] = value
        count = value == 0 ? 0 : 1
    }

    /// `x ← x · factor`. Returns `false` if the result does not fit in `capacity` limbs.
    static func multiply(
        _ x: UnsafeMutablePointer<UInt64>, _ count: inout Int, capacity: Int, by factor: UInt64
    ) -> Bool {
        guard count > 0 else { return true }
        if factor == 0 {
            count = 0
            return true
        }
        var carry: UInt64 = 0
        for i in 0..<count {
            let product = x[i].multipliedFullWidth(by: factor)
            let sum = product.low.addingReportingOverflow(carry)
            x[i] = sum.partialValue
            carry = product.high &+ (sum.overflow ? 1 : 0)
        }
        if carry != 0 {
            guard count < capacity else { return false }
            x[count] = carry
            count &+= 1
        }
        return true
    }

    /// `x ← x + addend`. Returns `false` if the result does not fit in `capacity` limbs.
    static func add(_ x: UnsafeMutablePointer<UInt64>, _ count: inout Int, capacity: Int, _ addend: UInt64) -> Bool {
        var carry = addend
        var i = 0
        while carry != 0 {
            if i == count {
                guard count < capacity else { return false }
                x[count] = 0
                count &+= 1
            }
            let sum = x[i].addingReportingOverflow(carry)
            x[i] = sum.partialValue
            carry = sum.overflow ? 1 : 0
            i &+= 1
        }
        return true
    }

    /// `x ← x · 5^exponent`, by factors of 5^27 (the largest power of five below 2^64).
    static func multiplyByPowerOfFive(
        _ x: UnsafeMutablePointer<UInt64>, _ count: inout Int, capacity: Int, exponent: Int
    ) -> Bool {
        var remaining = exponent
        while remaining >= 27 {
            guard multiply(x, &count, capacity: capacity, by: 7_450_580_596_923_828_125) else { return false }
            remaining &-= 27
        }
        var factor: UInt64 = 1
        for _ in 0..<max(remaining, 0) { factor &*= 5 }
        return multiply(x, &count, capacity: capacity, by: factor)
    }

    /// `destination ← source << bits`. `destination` must not overlap `source`.
    static func shiftLeft(
        _ source: UnsafePointer<UInt64>, _ sourceCount: Int,
        into destination: UnsafeMutablePointer<UInt64>, _ destinationCount: inout Int,
        capacity: Int, bits: Int
    ) -> Bool {
        guard sourceCount > 0 else {
            destinationCount = 0
            return true
        }
        let limbShift = bits / 64
        let bitShift = UInt64(bits % 64)
        let needed = sourceCount &+ limbShift &+ 1
        guard bits >= 0, needed <= capacity else { return false }
        for i in 0..<limbShift { destination[i] = 0 }
        if bitShift == 0 {
            for i in 0..<sourceCount { destination[i &+ limbShift] = source[i] }
            destinationCount = sourceCount &+ limbShift
        } else {
            var carry: UInt64 = 0
            for i in 0..<sourceCount {
                let limb = source[i]
                destination[i &+ limbShift] = (limb &<< bitShift) | carry
                carry = limb &>> (64 &- bitShift)
            }
            destination[sourceCount &+ limbShift] = carry
            destinationCount = carry == 0 ? sourceCount &+ limbShift : needed
        }
        return true
    }

    /// Copies `source` into `destination`.
    static func copy(
        _ source: UnsafePointer<UInt64>, _ sourceCount: Int,
        into destination: UnsafeMutablePointer<UInt64>, _ destinationCount: inout Int
    ) {
        for i in 0..<sourceCount { destination[i] = source[i] }
        destinationCount = sourceCount
    }

    /// Three-way comparison: negative, zero or positive as `a` is below, equal to or above `b`.
    static func compare(
        _ a: UnsafePointer<UInt64>, _ aCount: Int, _ b: UnsafePointer<UInt64>, _ bCount: Int
    ) -> Int {
        var na = aCount
        var nb = bCount
        while na > 0 && a[na &- 1] == 0 { na &-= 1 }
        while nb > 0 && b[nb &- 1] == 0 { nb &-= 1 }
        if na != nb { return na < nb ? -1 : 1 }
        var i = na &- 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i &-= 1
        }
        return 0
    }
}
