import FulcrumSettings
/// The operations HTTP endpoint: `/metrics`, `/health`, `/ready`, `/parameters` and the dashboard at `/`.
public struct HTTPSettings: Sendable, Codable, Hashable {
    /// Serve the endpoint at all. Default: `true`.
    public var enabled: Bool = true
    /// `HOST:PORT` to listen on. Default: `127.0.0.1:7680` (loopback only; use `0.0.0.0:7680` in a container).
    /// Port 0 lets the kernel choose (the bound port is logged). Allowed: an IPv4 address or host name, a colon,
    /// and a port 0 … 65535.
    public var address: String = "127.0.0.1:7680"
    /// `/ready` fails when a feed has delivered no accepted tick for longer than this (rejected messages do
    /// not count: a feed of garbage is as stale as a silent one). Default: 30 s (several
    /// ticks on any live market; quiet venues may need more). Allowed: 1 ms … 1 day.
    @NanosecondDuration public var feedFreshness: Duration = .seconds(30)
    /// `/health` fails when the publisher thread has sent no heartbeat for longer than this. Default: 10 s
    /// (twenty heartbeat periods at the default 500 ms). Allowed: 1 ms … 1 day.
    @NanosecondDuration public var livenessTimeout: Duration = .seconds(10)
    /// How often counters, gauges and feed freshness are refreshed between scrapes. Default: 1 s.
    /// Allowed: 10 ms … 1 min.
    @NanosecondDuration public var sampleInterval: Duration = .seconds(1)
    /// How often the dashboard page polls `/parameters`, ms. Default: 1000. Allowed: 100 … 60000.
    public var dashboardRefreshMilliseconds: Int = 1_000
    /// `/parameters` (and the dashboard's heatmap) carry the correlations of the first this many assets in
    /// engine order; the full matrix is on the risk feed's `portfolio` topic. Default: 64 (a readable heatmap;
    /// the matrix grows with the square). Allowed: 0 … 1024.
    public var correlationLimit: Int = 64

    /// Per-symbol metric series (`fulcrum_asset_*{symbol}`, `fulcrum_coverage_*{symbol}`, about 20 per asset) exist
    /// for the first this many assets in engine order; `fulcrum_asset_series_omitted` counts the rest, whose
    /// figures stay on `/parameters` and the risk feed. 0 turns per-symbol series off. Default: 256 (about 5,000
    /// series: a Prometheus server's comfortable share for one target). Allowed: 0 … 10000.
    public var symbolMetricsLimit: Int = 256

    /// The defaults.
    public init() {}

    /// The host part of ``address``.
    public var host: String { Self.split(address)?.host ?? "" }
    /// The port part of ``address``.
    public var port: Int { Self.split(address)?.port ?? -1 }

    static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        let host = String(address[..<colon])
        let hostIsValid = !host.isEmpty && host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                || byte == 0x2E || byte == 0x2D
        }
        return hostIsValid ? (host, port) : nil
    }

    /// Checks every setting; errors name the key (under `http.`), the bad value and what is allowed.
    public func validate() throws(ConfigurationError) {
        guard Self.split(address) != nil else {
            throw ConfigurationError(key: "http.address", value: address,
                                     allowed: "HOST:PORT with a host name or IPv4 address and a port 0 … 65535",
                                     message: "invalid listen address")
        }
        let day = Duration.seconds(86_400)
        let durations: [(String, NanosecondDuration, ClosedRange<Duration>, String)] = [
            ("http.feedFreshness", _feedFreshness, .milliseconds(1)...day, "1ms … 1d"),
            ("http.livenessTimeout", _livenessTimeout, .milliseconds(1)...day, "1ms … 1d"),
            ("http.sampleInterval", _sampleInterval, .milliseconds(10) ... .seconds(60), "10ms … 1m"),
        ]
        for (key, setting, range, allowed) in durations where !range.contains(setting.wrappedValue) {
            throw ConfigurationError(key: key, value: "\(setting.projectedValue)ns", allowed: allowed,
                                     message: "out of range")
        }
        guard (0...10_000).contains(symbolMetricsLimit) else {
            throw ConfigurationError(key: "http.symbolMetricsLimit", value: "\(symbolMetricsLimit)",
                                     allowed: "0 … 10000", message: "out of range")
        }
        guard (0...1_024).contains(correlationLimit) else {
            throw ConfigurationError(key: "http.correlationLimit", value: "\(correlationLimit)",
                                     allowed: "0 … 1024", message: "out of range")
        }
        guard (100...60_000).contains(dashboardRefreshMilliseconds) else {
            throw ConfigurationError(key: "http.dashboardRefreshMilliseconds", value: "\(dashboardRefreshMilliseconds)",
                                     allowed: "100 … 60000", message: "out of range")
        }
    }
}
