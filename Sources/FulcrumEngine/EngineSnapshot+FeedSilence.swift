import MarginModel

extension EngineSnapshot {
    /// Asset `index`'s parameters as the risk feed last announced them (`nil` before its first grid step).
    ///
    /// While every feed is silent past `ingest.feedSilenceStaleAfter` the ingest loop has republished every asset
    /// with status stale and the stale-feed reason, values unchanged (``FeedStaleness/republishStale(_:emit:)``);
    /// the engine's own parameters keep the status of the last grid step until the next one. Observers — the
    /// status gauges, `/parameters`, the dashboard — show what consumers were told.
    public func announcedParameters(_ index: Int) -> AssetParameters? {
        guard parameters.indices.contains(index), var announced = parameters[index] else { return nil }
        if feedsSilentSince != nil {
            announced.status = .stale
            announced.reasons.insert(.circuitBreakerStale)
        }
        return announced
    }
}
