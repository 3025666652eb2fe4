/// The most extreme values of a sliding window in one direction, kept sorted ascending (most extreme first).
///
/// Entries carry the sequence number of their residual so that residuals leaving the window can be removed.
/// Storage is allocated by `reset(capacity:)` and reused afterwards: insertion, eviction and reads never allocate.
/// Invariant (maintained by `ResidualTailCache`): the entries are exactly the `count` most extreme values of the
/// current window.
///
/// It also keeps the power sums of its first k entries (`PowerSums`), so that the expected shortfall of the k
/// most extreme residuals can be re-evaluated for a new σ without k exponentials. An insertion into the first k
/// adds the new value and removes the k-th, which is the least extreme of the set, so rounding errors stay relative
/// to the set's own magnitudes; anything else that changes the first k (eviction, a new k) marks the sums for
/// recomputation, as does every 1,024th incremental change, to bound accumulated rounding.
struct SortedTail: Sendable {
    private(set) var values: [Double] = []
    private(set) var sequences: [UInt64] = []
    private(set) var count = 0
    private(set) var capacity = 0
    /// A lower bound on the smallest sequence number held; eviction scans only when the cutoff passes it.
    private var oldestSequence: UInt64 = .max
    private var sums = PowerSums()
    private var summedCount = 0
    private var sumsValid = false
    private var incrementalChanges = 0

    /// Empties the tail and makes room for `capacity` entries (allocating only when growing).
    mutating func reset(capacity newCapacity: Int) {
        if newCapacity > values.count {
            values = [Double](repeating: 0, count: newCapacity)
            sequences = [UInt64](repeating: 0, count: newCapacity)
        }
        capacity = newCapacity
        count = 0
        oldestSequence = .max
        sumsValid = false
    }

    /// Σᵢ<ₖ (e^{c·vᵢ} − 1) over the first k entries (1 ≤ k ≤ count): from the power sums (recomputed first when
    /// stale) when |c|·max|v| ≤ `PowerSums.maximumArgument`, otherwise term by term with `expm1`.
    mutating func exponentialSum(first k: Int, scale c: Double) -> Double {
        let largest = max(abs(values[0]), abs(values[k - 1]))
        if abs(c) * largest <= PowerSums.maximumArgument {
            if !sumsValid || summedCount != k || incrementalChanges >= 1_024 {
                values.withUnsafeBufferPointer { sums.recompute($0, count: k) }
                summedCount = k
                sumsValid = true
                incrementalChanges = 0
            }
            return sums.exponentialSum(c, largestMagnitude: largest)
        }
        return values.withUnsafeBufferPointer { TailLoss.directExponentialSum($0, count: k, scale: c) }
    }

    /// Offers a value of the window whose other `windowCount` elements have already been offered.
    ///
    /// It is kept when it is more extreme than the least extreme entry (dropping that entry if full), or when the
    /// tail still holds the whole window and has room; in both cases the invariant is preserved. Ties keep the
    /// older entry first, which only affects which equal value is dropped.
    @inline(__always)
    mutating func offer(_ value: Double, sequence: UInt64, windowCount: Int) {
        if count > 0 && value < values[count - 1] {
            insert(value, sequence: sequence)
        } else if count == windowCount && count < capacity {
            insert(value, sequence: sequence)
        }
    }

    private mutating func insert(_ value: Double, sequence: UInt64) {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] <= value { low = middle + 1 } else { high = middle }
        }
        let last = count == capacity ? count - 1 : count
        guard low <= last else { return }
        if sumsValid && low < summedCount {
            if count >= summedCount {
                sums.accumulate(value, sign: 1)
                sums.accumulate(values[summedCount - 1], sign: -1)
                incrementalChanges += 1
            } else {
                sumsValid = false
            }
        }
        values.withUnsafeMutableBufferPointer { v in
            sequences.withUnsafeMutableBufferPointer { s in
                var index = last
                while index > low {
                    v[index] = v[index - 1]
                    s[index] = s[index - 1]
                    index -= 1
                }
                v[low] = value
                s[low] = sequence
            }
        }
        count = last + 1
        if sequence < oldestSequence { oldestSequence = sequence }
    }

    /// Removes entries whose sequence number is below `cutoff` (they left the window); returns how many.
    @discardableResult
    mutating func evict(before cutoff: UInt64) -> Int {
        guard oldestSequence < cutoff else { return 0 }
        var kept = 0
        var oldest = UInt64.max
        let summed = summedCount
        var touchesSums = false
        values.withUnsafeMutableBufferPointer { v in
            sequences.withUnsafeMutableBufferPointer { s in
                for index in 0..<count {
                    guard s[index] >= cutoff else {
                        if index < summed { touchesSums = true }
                        continue
                    }
                    v[kept] = v[index]
                    s[kept] = s[index]
                    if s[index] < oldest { oldest = s[index] }
                    kept += 1
                }
            }
        }
        let removed = count - kept
        if touchesSums { sumsValid = false }
        count = kept
        oldestSequence = oldest
        return removed
    }
}

extension SortedTail: Equatable, Codable {
    enum CodingKeys: String, CodingKey {
        case values, sequences, count, capacity, oldestSequence, sums, summedCount, sumsValid, incrementalChanges
    }

    /// Encodes the complete state, storage included, so that a decoded tail evolves bit for bit like this one:
    /// the power sums carry the rounding of every incremental change since their last recomputation.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values, forKey: .values)
        try container.encode(sequences, forKey: .sequences)
        try container.encode(count, forKey: .count)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(oldestSequence, forKey: .oldestSequence)
        try container.encode(sums, forKey: .sums)
        try container.encode(summedCount, forKey: .summedCount)
        try container.encode(sumsValid, forKey: .sumsValid)
        try container.encode(incrementalChanges, forKey: .incrementalChanges)
    }

    /// Restores a tail written by `encode(to:)`. Throws `MarginModelError.incompatibleState`, naming the field,
    /// when the storage and the counters do not fit together (0 ≤ count ≤ capacity ≤ storage, summed count
    /// within capacity).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.decode([Double].self, forKey: .values)
        sequences = try container.decode([UInt64].self, forKey: .sequences)
        count = try container.decode(Int.self, forKey: .count)
        capacity = try container.decode(Int.self, forKey: .capacity)
        oldestSequence = try container.decode(UInt64.self, forKey: .oldestSequence)
        sums = try container.decode(PowerSums.self, forKey: .sums)
        summedCount = try container.decode(Int.self, forKey: .summedCount)
        sumsValid = try container.decode(Bool.self, forKey: .sumsValid)
        incrementalChanges = try container.decode(Int.self, forKey: .incrementalChanges)
        let checks: [(String, Bool)] = [
            ("sequences", sequences.count == values.count),
            ("capacity", capacity >= 0 && capacity <= values.count),
            ("count", count >= 0 && count <= capacity),
            ("summedCount", summedCount >= 0 && summedCount <= capacity),
            ("incrementalChanges", incrementalChanges >= 0),
        ]
        if let (field, _) = checks.first(where: { !$0.1 }) {
            throw MarginModelError(
                code: .incompatibleState,
                message: "tail field \(field) does not fit: count \(count), capacity \(capacity), storage "
                    + "\(values.count) values and \(sequences.count) sequences, summed \(summedCount), "
                    + "changes \(incrementalChanges)",
                context: ["field": "tail.\(field)"])
        }
    }
}
