import MarketSimulator

extension SplitMix64 {
    /// A uniform double on [0, 1): the top 53 bits of ``next()`` times 2⁻⁵³, so 0 is possible and 1 is not.
    ///
    /// Not `Double.random(in: 0..<1, using:)`, which keeps the low 53 bits instead and so gives another stream;
    /// not `nextUnit()` either, which adds half a step to stay inside (0, 1).
    public mutating func nextHalfOpenUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
