extension FeedStaleness {
    /// Emits every asset's latest parameters again, marked stale: status `ASSET_STATUS_STALE` and reason
    /// `REASON_STALE_FEED` added, every other field as last published (same `as_of_ns`: event time has not
    /// moved). Asks the engine to republish every asset at its next grid step, which clears the mark.
    ///
    /// - Returns: the number of updates emitted (0 before the first grid step).
    @discardableResult
    public static func republishStale(_ engine: inout RiskEngine, emit: (RiskEngine.Update) throws -> Void) rethrows
        -> Int {
        var count = 0
        try engine.republish(markedStale: true) { update in
            try emit(update)
            count += 1
        }
        if count > 0 { engine.republishOnNextStep = true }
        return count
    }
}
