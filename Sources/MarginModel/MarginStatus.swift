/// The state of an asset's margin parameters.
public enum MarginStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The residual history is still short: margins come from the parametric Student-t fallback.
    case warming
    /// Margins come from filtered historical simulation on a full-enough history.
    case ready
    /// The circuit breaker tripped on a shock (or invalid input) and margins sit at the stressed level.
    case stressed
    /// The feed is older than `circuitBreaker.staleAfterNs`; margins sit at the stressed level.
    case stale
}
