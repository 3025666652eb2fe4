/// Basel backtesting traffic light.
public enum TrafficLightZone: String, Sendable, Hashable, Codable, CaseIterable {
    /// Exceptions consistent with the target (cumulative binomial probability below 95 %).
    case green
    /// Exceptions suspicious (cumulative probability from 95 % up to 99.99 %).
    case yellow
    /// Exceptions reject the model (cumulative probability ≥ 99.99 %).
    case red
}
