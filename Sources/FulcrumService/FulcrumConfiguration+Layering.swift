import ConfigurationLoading
import FulcrumSettings
import MarketData

extension FulcrumConfiguration {
    /// The configuration `fulcrum run`, `config check`, `record` and `backtest` use: the file (if any) and the
    /// `FULCRUM__…` environment layered over the embedded default.
    ///
    /// - A file that names no feeds keeps the embedded default's simulated market and its feed, so a file that
    ///   only moves the ports runs as `fulcrum run` does without one; `simulator: {enabled: false}` there leaves
    ///   no feed, which validation refuses.
    /// - A file that names feeds replaces the simulator's: it runs its own feeds, and the simulator only if it
    ///   enables it (`simulator: {enabled: true}`), whose feed is then added to the named ones.
    ///
    /// `omitting` takes keys out of the file as ``ConfigurationLoader/load(_:defaults:path:environment:omitting:)``
    /// does.
    public static func load(path: String?, environment: [String: String], omitting: Set<String> = [])
        throws(ConfigurationError) -> FulcrumConfiguration {
        // Over the plain defaults (no feed, no simulator) the result shows what the file and environment name.
        var configuration = try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(),
                                                         path: path, environment: environment,
                                                         omitting: omitting)
        if configuration.ingest.feeds.isEmpty {
            configuration = try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: .embeddedDefault,
                                                         path: path, environment: environment,
                                                         omitting: omitting)
            configuration.ingest.feeds.removeAll { $0.name == simulatedFeedName }
        }
        let simulator = configuration.simulator
        if simulator.enabled, !configuration.ingest.feeds.contains(where: {
            $0.endpoint == simulator.endpoint || $0.name == simulatedFeedName
        }) {
            configuration.ingest.feeds.append(
                FeedConfiguration(name: simulatedFeedName, endpoint: configuration.simulator.endpoint))
        }
        return configuration
    }

    /// The configuration a backtest replays with: the file and the environment over the plain defaults, with no
    /// simulator layered in (a backtest's ticks are its inputs). With no file, the embedded default's engine.
    public static func loadForReplay(path: String?, environment: [String: String]) throws(ConfigurationError)
        -> FulcrumConfiguration {
        try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: path == nil ? .embeddedDefault : .init(),
                                     path: path, environment: environment)
    }
}
