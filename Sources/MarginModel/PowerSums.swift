/// Power sums Sⱼ = Σᵢ vᵢʲ (j = 1…order) of a set of values, and the exponential sum they give.
///
/// Σᵢ (e^{c·vᵢ} − 1) = Σⱼ cʲ/j!·Sⱼ, evaluated by Horner's rule as c·(S₁ + c/2·(S₂ + c/3·(S₃ + …))). The
/// truncation after `order` = 20 terms leaves a relative error below (c·max|v|)²¹/21! ≤ 1e−16 when
/// |c|·max|v| ≤ `maximumArgument` = 1.5, and the alternating terms stay within a factor e^{1.5} of the result,
/// so cancellation costs at most a few ulps. Beyond that bound callers evaluate the exponentials directly.
/// This turns the expected-shortfall average of k exponentials, needed on every update with a new σ, into 20
/// multiply-adds.
struct PowerSums: Sendable {
    /// Number of power sums kept.
    static let order = 20
    /// Largest |c|·max|v| for which `exponentialSum` is accurate.
    static let maximumArgument = 1.5

    // A homogeneous tuple (contiguous in memory) rather than an array: no heap storage, no allocation, and
    // available on every deployment target.
    private var sums: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                       Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// All sums zero (the empty set).
    init() {}

    /// Adds (sign = 1) or removes (sign = −1) a value.
    @inline(__always)
    mutating func accumulate(_ value: Double, sign: Double) {
        withUnsafeMutableBytes(of: &sums) { raw in
            let s = raw.bindMemory(to: Double.self)
            var power = value
            for j in 0..<Self.order {
                s[j] += sign * power
                power *= value
            }
        }
    }

    /// Recomputes the sums of `values[0..<count]` from scratch.
    mutating func recompute(_ values: UnsafeBufferPointer<Double>, count: Int) {
        self = PowerSums()
        for index in 0..<count { accumulate(values[index], sign: 1) }
    }

    /// Σᵢ (e^{c·vᵢ} − 1) over the summed values, given `largestMagnitude` ≥ max|vᵢ| with
    /// |c|·largestMagnitude ≤ `maximumArgument`.
    ///
    /// Only as many terms are summed as the argument needs: the series stops at the first order J whose next
    /// term bound (|c|·max|v|)^{J+1}/(J+1)! falls below 2⁻⁵⁴ of the leading term, so calm markets (a ≈ 0.05) take
    /// about 8 terms instead of 20.
    @inline(__always)
    func exponentialSum(_ c: Double, largestMagnitude: Double) -> Double {
        let argument = abs(c) * largestMagnitude
        var terms = 1
        var bound = argument
        while terms < Self.order && bound > 0x1p-54 {
            terms += 1
            bound *= argument / Double(terms)
        }
        return withUnsafeBytes(of: sums) { raw in
            let s = raw.bindMemory(to: Double.self)
            var accumulator = s[terms - 1]
            var j = terms - 1
            while j > 0 {
                accumulator = s[j - 1] + c * Self.reciprocals[j] * accumulator
                j -= 1
            }
            return c * accumulator
        }
    }

    /// 1/(j + 1) for j = 0…order − 1 (so `reciprocals[j]` divides the (j+1)-th Horner step by j + 1).
    private static let reciprocals: [Double] = (0..<20).map { 1 / Double($0 + 1) }

    /// S₁…S_order, in order (for checkpoints).
    var values: [Double] {
        withUnsafeBytes(of: sums) { Array($0.bindMemory(to: Double.self)) }
    }

    /// The sums `values` (exactly `order` of them), bit for bit; `nil` for another count.
    init?(values: [Double]) {
        guard values.count == Self.order else { return nil }
        withUnsafeMutableBytes(of: &sums) { raw in
            let s = raw.bindMemory(to: Double.self)
            for j in 0..<Self.order { s[j] = values[j] }
        }
    }
}

extension PowerSums: Equatable {
    /// Bitwise equality of the sums: two sets of sums are equal when every later evaluation gives the same bits.
    static func == (lhs: PowerSums, rhs: PowerSums) -> Bool {
        lhs.values.map(\.bitPattern) == rhs.values.map(\.bitPattern)
    }
}

extension PowerSums: Codable {
    /// Encodes S₁…S_order as one array of doubles (exact bits in a binary coder).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// Decodes sums written by `encode(to:)`; throws `MarginModelError.incompatibleState` for another count.
    init(from decoder: any Decoder) throws {
        let values = try decoder.singleValueContainer().decode([Double].self)
        guard let sums = PowerSums(values: values) else {
            throw MarginModelError(code: .incompatibleState,
                                   message: "power sums have \(values.count) entries; expected \(Self.order)",
                                   context: ["field": "tail.sums"])
        }
        self = sums
    }
}
