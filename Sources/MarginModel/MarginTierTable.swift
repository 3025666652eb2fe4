/// A tier schedule of up to `capacity` tiers, stored inline so that producing one never allocates.
///
/// Behaves as a random-access collection of `MarginTier`; encodes as a JSON array.
public struct MarginTierTable: Sendable, RandomAccessCollection, MutableCollection {
    /// The most tiers a table holds.
    public static let capacity = 8

    // A tuple read field by field through a switch: the element access never copies the whole storage, which
    // a generic buffer view of a non-mutable value would.
    private var storage: (MarginTier, MarginTier, MarginTier, MarginTier,
                          MarginTier, MarginTier, MarginTier, MarginTier)
    /// Number of tiers.
    public private(set) var count: Int

    /// An empty table.
    public init() {
        let e = MarginTier.empty
        storage = (e, e, e, e, e, e, e, e)
        count = 0
    }

    /// A table holding `tiers`, which must number at most `capacity`.
    public init<Tiers: Sequence>(_ tiers: Tiers) where Tiers.Element == MarginTier {
        self.init()
        for tier in tiers { append(tier) }
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// `count`.
    public var endIndex: Int { count }

    /// The tier at `index` (0 ≤ index < count).
    public subscript(index: Int) -> MarginTier {
        get {
            precondition(index >= 0 && index < count, "MarginTierTable index out of range")
            switch index {
            case 0: return storage.0
            case 1: return storage.1
            case 2: return storage.2
            case 3: return storage.3
            case 4: return storage.4
            case 5: return storage.5
            case 6: return storage.6
            default: return storage.7
            }
        }
        set {
            precondition(index >= 0 && index < count, "MarginTierTable index out of range")
            switch index {
            case 0: storage.0 = newValue
            case 1: storage.1 = newValue
            case 2: storage.2 = newValue
            case 3: storage.3 = newValue
            case 4: storage.4 = newValue
            case 5: storage.5 = newValue
            case 6: storage.6 = newValue
            default: storage.7 = newValue
            }
        }
    }

    /// Appends a tier; traps when the table is full (callers validate tier counts against `capacity`).
    public mutating func append(_ tier: MarginTier) {
        precondition(count < Self.capacity, "MarginTierTable holds at most \(Self.capacity) tiers")
        count += 1
        self[count - 1] = tier
    }

    /// Removes every tier.
    public mutating func removeAll() { count = 0 }

    /// Sets each tier's deduction by the recursion d₀ = 0, dₙ = dₙ₋₁ + lowerₙ·(MMFₙ − MMFₙ₋₁).
    ///
    /// With maintenance margin M(N) = N·MMFₙ − dₙ in tier n, at the boundary N = lowerₙ the two sides give
    /// lowerₙ·MMFₙ₋₁ − dₙ₋₁ and lowerₙ·MMFₙ − dₙ, equal by construction: the schedule is continuous, and convex
    /// when MMF grows with size. This is Binance's `cum` and Hyperliquid's maintenance deduction.
    public mutating func recomputeMaintenanceDeductions() {
        var deduction = 0.0
        for index in 0..<count {
            if index > 0 {
                let rateStep = self[index].maintenanceMarginFraction - self[index - 1].maintenanceMarginFraction
                deduction += self[index].lowerBoundNotional * rateStep
            }
            self[index].maintenanceDeduction = deduction
        }
    }

    /// The index of the tier that holds `notional`: the last tier whose lower bound is ≤ notional (tier 0 for
    /// smaller or NaN notionals).
    public func tierIndex(forNotional notional: Double) -> Int {
        var result = 0
        for index in 0..<count where self[index].lowerBoundNotional <= notional { result = index }
        return result
    }

    /// Maintenance margin N·MMFₙ − dₙ for |notional| N (continuous and piecewise linear in N); NaN for an empty
    /// table.
    public func maintenanceMargin(forNotional notional: Double) -> Double {
        guard count > 0 else { return .nan }
        let size = abs(notional)
        let tier = self[tierIndex(forNotional: size)]
        return size * tier.maintenanceMarginFraction - tier.maintenanceDeduction
    }
}

extension MarginTierTable: Equatable {
    /// Tables are equal when they hold equal tiers in the same order.
    public static func == (lhs: MarginTierTable, rhs: MarginTierTable) -> Bool {
        lhs.count == rhs.count && lhs.indices.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

extension MarginTierTable: Hashable {
    /// Hashes the tiers in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for tier in self { hasher.combine(tier) }
    }
}

extension MarginTierTable: Codable {
    /// Decodes a JSON array of at most `capacity` tiers.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        self.init()
        while !container.isAtEnd {
            guard count < Self.capacity else {
                throw DecodingError.dataCorruptedError(in: container,
                                                       debugDescription: "more than \(Self.capacity) tiers")
            }
            append(try container.decode(MarginTier.self))
        }
    }

    /// Encodes the tiers as a JSON array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for tier in self { try container.encode(tier) }
    }
}
