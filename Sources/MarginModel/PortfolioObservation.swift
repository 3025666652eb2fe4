/// One completed horizon of a portfolio: its margin at the start and its loss over the horizon.
public struct PortfolioObservation: Sendable, Hashable, Codable {
    /// Grid boundary where the horizon started, ns.
    public var startNs: Int64
    /// First grid boundary at or after start + horizon, ns.
    public var endNs: Int64
    /// Portfolio margin at the start as a fraction of gross notional Σ|wᵢ|.
    public var margin: Double
    /// Loss over the horizon as a fraction of gross notional: −Σ wᵢ(Pᵢ,end/Pᵢ,start − 1) / Σ|wᵢ|.
    public var loss: Double

    /// Creates an observation.
    public init(startNs: Int64, endNs: Int64, margin: Double, loss: Double) {
        self.startNs = startNs
        self.endNs = endNs
        self.margin = margin
        self.loss = loss
    }

    /// The loss exceeded the margin.
    public var isException: Bool { loss > margin }
}
