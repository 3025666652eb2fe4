/// The one readable form of the wire's reason codes: `fulcrum.v1.Reason`'s name without its `REASON_` prefix, in
/// lower case (`REASON_STEP_LIMIT` → `step_limit`). `fulcrum watch`, the HTTP `/parameters` document, the dashboard
/// (with ``legend``) and log metadata (`fulcrum.reason`) all write reasons this way, so a reason reads the same
/// wherever it is seen and maps back to its code by name.
extension Fulcrum_V1_Reason {
    /// The reason's word: `step_limit`; `unspecified` for code 0, `unknown_N` for a code this build does not know.
    public var label: String {
        Self.vocabulary.first { $0.reason == self }?.label ?? (self == .unspecified ? "unspecified" : "unknown_\(rawValue)")
    }

    /// What the reason means, as risk.proto's comment says it.
    public var meaning: String {
        Self.vocabulary.first { $0.reason == self }?.meaning ?? "a reason this build does not know"
    }

    /// Every known reason in code order, with its word and meaning: the dashboard's legend.
    public static var legend: [(label: String, meaning: String)] {
        vocabulary.map { ($0.label, $0.meaning) }
    }

    private static let vocabulary: [(reason: Fulcrum_V1_Reason, label: String, meaning: String)] = [
        (.stepLimit, "step_limit", "a decrease or MMF change was capped at the maximum step"),
        (.cooldown, "cooldown", "the previous change is too recent to change again"),
        (.hysteresis, "hysteresis", "the change is below the publication threshold"),
        (.floor, "floor", "a configured floor binds"),
        (.cap, "cap", "a configured cap binds"),
        (.antiProcyclical, "anti_procyclical", "the stressed-volatility floor or buffer binds"),
        (.circuitBreaker, "circuit_breaker", "an extreme return raised margins at once"),
        (.staleFeed, "stale_feed", "a stale feed raised margins at once"),
        (.warming, "warming", "not enough history: defaults apply"),
        (.parametricFallback, "parametric_fallback", "too few residuals: Student-t used instead of historical simulation"),
        (.coverageWidening, "coverage_widening", "live coverage left the green zone and margins were widened"),
        (.periodicRefresh, "periodic_refresh", "republished unchanged on the refresh interval"),
        (.invalidInput, "invalid_input", "an input was not a finite, positive number: conservative values apply"),
        (.liquidityUnknown, "liquidity_unknown", "no traded volume known: the configured liquidation cost applies"),
        (.invariantAdjusted, "invariant_adjusted", "MMF was lowered to keep MMF ≤ IMF"),
        (.leverageCapped, "leverage_capped", "max leverage was rounded down to a configured step"),
        (.antiProcyclicalBuffer, "anti_procyclical_buffer", "the anti-procyclical buffer is applied (or released in stress)"),
        (.bookImpact, "book_impact", "tiers and liquidation costs come from the live order books' impact curve"),
        (.openInterest, "open_interest", "live open interest raised IMF (dYdX open-interest scaling)"),
        (.concentration, "concentration",
         "open interest beyond a day's liquidation capacity added the concentration add-on"),
        (.liquidationCascade, "liquidation_cascade", "liquidations beyond the book's depth tripped the circuit breaker"),
        (.protocolHealth, "protocol_health", "the open positions' stressed bad debt exceeds its limit: health raised the target"),
    ]
}
