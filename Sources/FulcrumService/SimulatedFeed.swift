import DedicatedThreads
import Foundation
import FulcrumProtocol
import Logging
import MarketSimulator
import ServiceLifecycle
import ZeroMQ

/// The embedded market: publishes simulated protobuf ticks on a real PUB socket, so a new user
/// sees the whole pipeline work with no external feed.
public struct SimulatedFeed: Service {
    /// Settings of the simulated feed: the `simulator` section of a configuration file.
    public struct Configuration: Sendable, Codable, Hashable {
        /// Run the simulated market inside the process (the application starts the feed only then).
        /// Default: false, except in the embedded default configuration.
        public var enabled: Bool = false
        /// Endpoint the simulator's PUB binds; the `simulated` feed connects to it.
        public var endpoint: String = "inproc://fulcrum-simulator"
        /// Ticks per asset per second of wall time.
        public var ticksPerSecond: Double = 20
        /// The market model.
        public var market: SimulationConfiguration = SimulationConfiguration()

        /// The defaults.
        public init() {}
    }

    let configuration: Configuration
    let context: ZMQContext
    let logger: Logger

    /// Creates the feed; it binds when run.
    public init(configuration: Configuration, context: ZMQContext, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.logger = logger
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-simulator") { stop in try publish(until: stop) }
    }

    func publish(until stop: StopSignal) throws {
        let socket = try Socket(context: context, type: .pub)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        try socket.bind(configuration.endpoint)
        var market = MarketSimulator(configuration: configuration.market)
        let symbols = configuration.market.assets.map(\.symbol)
        let topics = symbols.map { Array("tick.SIM.\($0)".utf8) }
        let period = 1 / max(configuration.ticksPerSecond, 0.1)
        var last = WallClock.now
        var sequence: UInt64 = 0
        logger.info("simulated market started", metadata: [
            "fulcrum.simulator.endpoint": "\(configuration.endpoint)", "fulcrum.simulator.assets": "\(symbols.count)",
        ])
        let start = WallClock.now
        var lastMarketData: Int64 = 0
        while !stop.isStopped {
            Thread.sleep(forTimeInterval: period)
            let nanos = WallClock.now
            let prices = market.advance(seconds: Double(nanos &- last) / 1e9)
            last = nanos
            // Once a second: books, funding, open interest and (in stress) liquidations.
            if nanos &- lastMarketData >= 1_000_000_000 {
                lastMarketData = nanos
                try publishMarketData(prices: prices, symbols: symbols, stressed: market.isStressed,
                                      seconds: Double(nanos &- start) / 1e9, nanos: nanos, socket: socket)
            }
            for (index, price) in prices.enumerated() {
                sequence += 1
                var tick = WireTick()
                tick.venue = "SIM"
                tick.symbol = symbols[index]
                tick.price = price
                tick.exchangeTimeNs = nanos
                tick.receiptTimeNs = nanos
                tick.feedSequence = sequence
                try socket.send(multipart: [topics[index], try tick.serializedBytes()], wait: false)
            }
        }
    }

    /// Sends one `MarketUpdate` per asset for the book snapshot, funding and open interest, and one liquidation per
    /// asset in the stressed regime (``SimulatedMarketData``), on topics `book.SIM.<SYMBOL>` and `md.SIM.<SYMBOL>`.
    func publishMarketData(prices: [Double], symbols: [String], stressed: Bool, seconds: Double, nanos: Int64,
                           socket: Socket) throws {
        for (index, price) in prices.enumerated() {
            var base = Fulcrum_V1_MarketUpdate()
            base.venue = "SIM"
            base.symbol = symbols[index]
            base.exchangeTimeNs = nanos
            base.receiptTimeNs = nanos
            let levels = SimulatedMarketData.book(price: price, asset: index, stressed: stressed)
            var book = base
            book.book.snapshot = true
            book.book.bids = zip(levels.bidPrices, levels.bidSizes).map { level($0, $1) }
            book.book.asks = zip(levels.askPrices, levels.askSizes).map { level($0, $1) }
            var funding = base
            funding.funding.markPrice = SimulatedMarketData.markPrice(price: price, seconds: seconds)
            funding.funding.rate = 0.000_1
            var interest = base
            interest.openInterest.openInterest = SimulatedMarketData.openInterest(price: price, asset: index,
                                                                                 seconds: seconds)
            var updates = [book, funding, interest]
            let liquidated = SimulatedMarketData.liquidationQuantity(price: price, asset: index, stressed: stressed)
            if liquidated > 0 {
                var liquidation = base
                liquidation.liquidation.side = .sell
                liquidation.liquidation.quantity = liquidated
                liquidation.liquidation.price = price
                updates.append(liquidation)
            }
            for (position, update) in updates.enumerated() {
                let topic = Array((position == 0 ? "book.SIM." : "md.SIM.").utf8) + Array(symbols[index].utf8)
                try socket.send(multipart: [topic, try update.serializedBytes()], wait: false)
            }
        }
    }

    private func level(_ price: Double, _ size: Double) -> Fulcrum_V1_BookLevel {
        var level = Fulcrum_V1_BookLevel()
        level.price = price
        level.size = size
        return level
    }
}
