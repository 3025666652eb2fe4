extension MarginOptimizer {
    /// The residual tail memory of an asset, for checkpointing beside ``state(ofAsset:)``.
    public func tailState(ofAsset asset: Int) -> ResidualTailState {
        ResidualTailState(cache: caches[asset],
                          horizon: horizonCaches[asset].steps > 0 ? horizonCaches[asset] : nil)
    }

    /// Restores checkpointed residual tail memory, so that the asset's next updates are bit-identical to those of
    /// the optimizer that wrote it (given the same residual windows). Throws `.unknownAsset` for a bad index.
    ///
    /// A tail state that does not continue the next window (another estimator state) is not an error: the first
    /// update then rebuilds the tails from the window, as it does after any gap.
    public mutating func restore(tail: ResidualTailState, asset: Int) throws {
        guard asset >= 0 && asset < symbols.count else {
            throw MarginModelError(code: .unknownAsset, message: "asset index \(asset) is out of range",
                                   context: ["field": "asset"])
        }
        caches[asset] = tail.cache
        horizonCaches[asset] = tail.horizon ?? HorizonTailCache()
    }
}
