/// How margins are kept from falling too far in calm markets (EMIR Art. 28 style anti-procyclicality).
public enum AntiProcyclicalityMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// No anti-procyclicality tool.
    case off
    /// Floor the volatility used for margins at the long-horizon (stressed) volatility supplied in
    /// `AssetRiskInputs.stressedSigmaStep`; when that input is absent the buffer is applied instead.
    case stressedVolatilityFloor
    /// Add a buffer (`AntiProcyclicality.bufferFraction`, at least 25 %) to margins in normal conditions and release
    /// it while the asset is in stress (circuit breaker active).
    case buffer
}
