import MarginModel

extension RiskEngine {
    /// The asset's rolling coverage as the service's observable state shows it (``EngineSnapshot/coverage``):
    /// the same window, counts and statistics as `RiskParameters.coverage` on the wire. `nil` when coverage
    /// tracking is off or the asset is unknown.
    ///
    /// Reads only the counters the tracker keeps up to date when a horizon closes; no statistic is recomputed.
    func coverageSummary(asset: Int) -> EngineSnapshot.AssetCoverage? {
        guard configuration.coverage.enabled, coverage.ledger.trackers.indices.contains(asset) else { return nil }
        let tracker = coverage.ledger.trackers[asset]
        let window = tracker.rolling
        return EngineSnapshot.AssetCoverage(
            observations: window.observations, exceptions: window.exceptions, exceptionRate: window.exceptionRate,
            targetRate: window.targetRate, kupiecStatistic: window.kupiec.statistic,
            kupiecPValue: window.kupiec.pValue, zone: window.zone, window: window.capacity,
            horizonNs: tracker.horizonNs, widened: coverage.ledger.isWidened(asset: asset))
    }
}
