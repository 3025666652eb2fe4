/// One completed horizon of an asset: the margins in force at its start and the price move over it.
public struct CoverageObservation: Sendable, Hashable, Codable {
    /// Grid boundary where the horizon started (the margins were published as of it), ns.
    public var startNs: Int64
    /// First grid boundary at or after start + horizon, ns.
    public var endNs: Int64
    /// Grid-sampled price at the start.
    public var startPrice: Double
    /// Grid-sampled price at the end.
    public var endPrice: Double
    /// Published maintenance margin fraction at the start.
    public var maintenanceMargin: Double
    /// Published initial margin fraction at the start.
    public var initialMargin: Double
    /// A long position at the start lost more than its maintenance margin: 1 − P_end/P_start > MMF.
    public var longException: Bool
    /// A short position at the start lost more than its maintenance margin: P_end/P_start − 1 > MMF.
    public var shortException: Bool
    /// The move exceeded the initial margin in either direction: |P_end/P_start − 1| > IMF.
    public var initialException: Bool

    /// Evaluates a horizon.
    public init(startNs: Int64, endNs: Int64, startPrice: Double, endPrice: Double, maintenanceMargin: Double,
                initialMargin: Double) {
        self.startNs = startNs
        self.endNs = endNs
        self.startPrice = startPrice
        self.endPrice = endPrice
        self.maintenanceMargin = maintenanceMargin
        self.initialMargin = initialMargin
        let move = endPrice / startPrice - 1
        longException = -move > maintenanceMargin
        shortException = move > maintenanceMargin
        initialException = abs(move) > initialMargin
    }

    /// The simple return P_end/P_start − 1.
    public var move: Double { endPrice / startPrice - 1 }

    /// A position on either side lost more than its maintenance margin.
    public var isException: Bool { longException || shortException }

    /// By how much the larger side's loss exceeded the maintenance margin (negative when covered).
    public var excess: Double { abs(move) - maintenanceMargin }
}
