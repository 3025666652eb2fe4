extension RiskEstimator {
    /// Number of standardized residuals stored for the asset (at most `residualCapacity`).
    public func residualCount(_ asset: Int) -> Int { residualStored[asset] }

    /// Number of standardized residuals ever appended for the asset, including those the ring has overwritten
    /// since. It grows by exactly the number of residuals each closed step writes (one per step with a positive
    /// σ_{k−1}, and one zero per such step inside a fast-forwarded gap, even where the gap is longer than the
    /// ring), so a reader that remembers the value of its last visit knows that the newest
    /// min(now − then, `residualCount(_:)`) stored residuals are new, and that it missed any beyond that.
    public func residualsAppended(_ asset: Int) -> UInt64 { residualAppendedCount[asset] }

    /// Calls `body` with the asset's standardized residuals z_k = r_k/σ_{k−1} in chronological order, as two
    /// buffers into the ring (older part, newer part; the second is empty until the ring wraps), without copying.
    /// The buffers are valid only inside `body`. Steps whose σ_{k−1} was 0 have no residual.
    public func withResiduals<Result>(
        asset: Int,
        _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> Result
    ) rethrows -> Result {
        let capacity = configuration.residualCapacity
        let stored = residualStored[asset]
        let next = residualNext[asset]
        return try residualValues.withUnsafeBufferPointer { all in
            let ring = UnsafeBufferPointer(rebasing: all[(asset * capacity)..<((asset + 1) * capacity)])
            if stored < capacity {
                return try body(UnsafeBufferPointer(rebasing: ring[0..<stored]),
                                UnsafeBufferPointer(rebasing: ring[0..<0]))
            }
            return try body(UnsafeBufferPointer(rebasing: ring[next..<capacity]),
                            UnsafeBufferPointer(rebasing: ring[0..<next]))
        }
    }

    /// The residual at chronological position `index` (0 = oldest stored), for occasional reads.
    public func residual(asset: Int, at index: Int) -> Double {
        let capacity = configuration.residualCapacity
        let stored = residualStored[asset]
        precondition(index >= 0 && index < stored, "residual index \(index) out of 0..<\(stored)")
        let start = stored < capacity ? 0 : residualNext[asset]
        return residualValues[asset * capacity + (start + index) % capacity]
    }
}
