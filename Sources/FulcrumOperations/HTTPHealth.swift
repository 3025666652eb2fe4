import FulcrumBuildInfo
/// Liveness and readiness, decided from one ``MetricsObservation``.
///
/// - **Live** (`/health`): the publisher thread is beating — its heartbeat count moved within
///   ``HTTPSettings/livenessTimeout`` (measured from start until the first heartbeat). A process whose publisher
///   thread is stuck or dead is not live and should be restarted.
/// - **Ready** (`/ready`): live, not shutting down, every configured feed delivered a message within
///   ``HTTPSettings/feedFreshness``, at least one grid step has run, and every asset that has data is past the
///   estimator's warm-up (at least one is). An allow-listed symbol that never traded does not hold readiness back.
public struct HTTPHealth: Sendable, Hashable, Codable {
    /// Whether the check passed.
    public var ok: Bool
    /// Why it did not, one entry per failed condition (empty when `ok`).
    public var reasons: [String]
    /// The version of the build answering (``BuildInfo/version``).
    public var version: String
    /// The commit of the build answering (``BuildInfo/commit``).
    public var commit: String

    /// Creates a result, stamped with this build's version and commit.
    public init(ok: Bool, reasons: [String]) {
        self.ok = ok
        self.reasons = reasons
        version = BuildInfo.version
        commit = BuildInfo.commit
    }

    /// The liveness of the process.
    public static func liveness(_ observation: MetricsObservation, settings: HTTPSettings) -> HTTPHealth {
        guard let age = observation.heartbeatAge, age > settings.livenessTimeout else {
            return HTTPHealth(ok: true, reasons: [])
        }
        return HTTPHealth(ok: false, reasons: ["no heartbeat from the publisher for \(describe(age))"])
    }

    /// The readiness of the process to serve parameters.
    public static func readiness(_ observation: MetricsObservation, settings: HTTPSettings, feedNames: [String],
                                 shuttingDown: Bool) -> HTTPHealth {
        var reasons = liveness(observation, settings: settings).reasons
        if shuttingDown { reasons.append("shutting down") }
        let freshness = settings.feedFreshness
        for (index, age) in observation.feedAges.enumerated() where age > freshness || !observation.feedsHeard[index] {
            let name = index < feedNames.count ? feedNames[index] : "#\(index)"
            reasons.append(observation.feedsHeard[index]
                           ? "feed \(name): no accepted tick for \(describe(age))"
                           : "feed \(name): no accepted tick yet")
        }
        let snapshot = observation.snapshot
        if snapshot.stepsRun == 0 { reasons.append("no grid step yet") }
        let withData = snapshot.estimateStatus.enumerated().filter { $0.element != "noData" }
        let warming = withData.filter { $0.element != "ready" }.map { snapshot.symbols[$0.offset] }
        if withData.isEmpty {
            reasons.append("no asset has data yet")
        } else if !warming.isEmpty {
            reasons.append("warming up: " + warming.joined(separator: ", "))
        }
        return HTTPHealth(ok: reasons.isEmpty, reasons: reasons)
    }

    static func describe(_ duration: Duration) -> String {
        let parts = duration.components
        let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        return seconds < 10 ? "\((seconds * 10).rounded() / 10)s" : "\(Int(seconds.rounded()))s"
    }
}
