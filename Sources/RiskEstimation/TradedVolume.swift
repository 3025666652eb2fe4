import RealModule

/// Average daily traded notional per asset, from the trades seen on the feed, in event time.
///
/// Keeps S(t) = Σᵢ nᵢ·e^(−(t−tᵢ)/τ) over trade notionals nᵢ with time constant τ (default one day).
/// For a steady rate the expectation of S after observing for T is rate·τ·(1 − e^(−T/τ)), so the
/// unbiased daily figure is ADV = S·day / (τ·(1 − e^(−T/τ))). The decay is applied lazily (one
/// `exp` per trade), so recording is O(1) and allocation-free. Deterministic: driven by the ticks'
/// exchange timestamps only.
public struct TradedVolume: Sendable, Codable, Hashable {
    /// τ in nanoseconds.
    public let timeConstant: Int64
    /// Observation time before an estimate is reported, in nanoseconds.
    public let minimumObservation: Int64
    var sums: [Double] = []
    var lastTimes: [Int64] = []
    var firstTimes: [Int64] = []

    static let day: Double = 86_400e9

    /// Creates an estimator; `timeConstant` defaults to one day, `minimumObservation` to one hour.
    public init(timeConstant: Int64 = 86_400_000_000_000, minimumObservation: Int64 = 3_600_000_000_000) {
        precondition(timeConstant > 0 && minimumObservation >= 0, "time constants must be positive")
        self.timeConstant = timeConstant
        self.minimumObservation = minimumObservation
    }

    /// Makes room for asset indices up to `asset`.
    public mutating func ensureAsset(_ asset: Int) {
        while sums.count <= asset {
            sums.append(0)
            lastTimes.append(.min)
            firstTimes.append(.min)
        }
    }

    /// Records a trade of `notional` (price × size) at event time `timestamp`; non-finite or
    /// non-positive notionals, and trades older than the last one recorded, are ignored.
    public mutating func record(asset: Int, notional: Double, timestamp: Int64) {
        guard notional.isFinite, notional > 0 else { return }
        ensureAsset(asset)
        if firstTimes[asset] == .min {
            firstTimes[asset] = timestamp
            lastTimes[asset] = timestamp
        }
        guard timestamp >= lastTimes[asset] else { return }
        sums[asset] = sums[asset] * decay(from: lastTimes[asset], to: timestamp) + notional
        lastTimes[asset] = timestamp
    }

    /// Average daily notional at event time `now`, or `nil` before `minimumObservation` of history.
    public func averageDailyNotional(asset: Int, now: Int64) -> Double? {
        guard asset < sums.count, firstTimes[asset] != .min else { return nil }
        let observed = now &- firstTimes[asset]
        guard observed >= minimumObservation, observed > 0 else { return nil }
        let tau = Double(timeConstant)
        let current = sums[asset] * decay(from: lastTimes[asset], to: now)
        // 1 − e^(−T/τ) via expm1 keeps precision when T ≪ τ.
        let coverage = -Double.expMinusOne(-Double(observed) / tau)
        guard coverage > 0 else { return nil }
        return current * Self.day / (tau * coverage)
    }

    /// e^(−(end − start)/τ). Between consecutive trades x = (end − start)/τ is tiny (milliseconds against a day,
    /// x ≈ 1e-8), and there the cubic Taylor polynomial 1 − x + x²/2 − x³/6, evaluated in Horner form, is within
    /// an ulp of `exp`: its truncation error x⁴/24 is below 2⁻⁵⁸ for x < 2⁻¹⁴. That spares the per-trade call to
    /// `exp`, a measurable part of a replay's per-tick cost; longer gaps take `exp`.
    func decay(from start: Int64, to end: Int64) -> Double {
        guard end > start else { return 1 }
        let x = Double(end &- start) / Double(timeConstant)
        guard x < 0x1p-14 else { return .exp(-x) }
        return 1 - x * (1 - x * (0.5 - x * (1.0 / 6)))
    }
}
