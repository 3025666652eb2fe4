extension TickValidator {
    /// The validator's per-stream memory as plain columns (one entry per stream, `(venue, symbol, channel)`), for
    /// checkpointing. Restoring it makes the validator judge the next tick exactly as the original would.
    public struct Checkpoint: Sendable, Hashable, Codable {
        /// Per symbol: index of its first stream in the columns below, −1 for none.
        public var firstStream: [Int32]
        /// Per stream: its venue identifier.
        public var venue: [UInt32]
        /// Per stream: its ``TickChannel`` raw value; absent in checkpoints written before streams had channels
        /// (every stream is then ``TickChannel/trades``).
        public var channel: [UInt8]?
        /// Per stream: the next stream of the same symbol, −1 at the end of the list.
        public var next: [Int32]
        /// Per stream: latest exchange time recorded, ns.
        public var lastExchangeTime: [Int64]
        /// Per stream: price of the latest tick recorded.
        public var lastPrice: [Double]
        /// Per stream: latest feed sequence number (meaningful when `hasSequence`).
        public var lastSequence: [UInt64]
        /// Per stream: whether the stream carries sequence numbers.
        public var hasSequence: [Bool]
    }

    /// A copy of the per-stream memory.
    public var checkpoint: Checkpoint {
        Checkpoint(
            firstStream: firstStream, venue: streams.map(\.venue.rawValue),
            channel: streams.map(\.channel.rawValue), next: streams.map(\.next),
            lastExchangeTime: streams.map(\.lastExchangeTime), lastPrice: streams.map(\.lastPrice),
            lastSequence: streams.map(\.lastSequence), hasSequence: streams.map(\.hasSequence))
    }

    /// A validator with `configuration` and the stream memory of `checkpoint`.
    ///
    /// Throws ``MarketDataError/Code/invalidCheckpoint`` when the columns differ in length, a link points outside
    /// them, or the lists are not disjoint chains (a corrupt list would make lookups loop).
    public init(configuration: ValidationConfiguration, restoring checkpoint: Checkpoint) throws(MarketDataError) {
        self.init(configuration: configuration)
        let count = checkpoint.venue.count
        let lengths = [checkpoint.next.count, checkpoint.lastExchangeTime.count, checkpoint.lastPrice.count,
                       checkpoint.lastSequence.count, checkpoint.hasSequence.count]
        guard lengths.allSatisfy({ $0 == count }), checkpoint.channel.map({ $0.count == count }) ?? true else {
            throw MarketDataError(code: .invalidCheckpoint, message: "validator stream columns differ in length",
                                  context: ["field": "validator"])
        }
        var visited = [Bool](repeating: false, count: count)
        for head in checkpoint.firstStream {
            var index = head
            while index >= 0 {
                guard Int(index) < count, !visited[Int(index)] else {
                    throw MarketDataError(code: .invalidCheckpoint,
                                          message: "validator stream list is broken at stream \(index)",
                                          context: ["field": "validator"])
                }
                visited[Int(index)] = true
                index = checkpoint.next[Int(index)]
            }
            guard index == -1 else {
                throw MarketDataError(code: .invalidCheckpoint, message: "validator stream link \(index) is invalid",
                                      context: ["field": "validator"])
            }
        }
        guard visited.allSatisfy({ $0 }) else {
            throw MarketDataError(code: .invalidCheckpoint, message: "validator has streams no symbol links to",
                                  context: ["field": "validator"])
        }
        var channels: [TickChannel] = Array(repeating: .trades, count: count)
        for (index, raw) in (checkpoint.channel ?? []).enumerated() {
            guard let channel = TickChannel(rawValue: raw) else {
                throw MarketDataError(code: .invalidCheckpoint, message: "validator stream channel \(raw) is unknown",
                                      context: ["field": "validator"])
            }
            channels[index] = channel
        }
        firstStream = checkpoint.firstStream
        streams = (0..<count).map { index in
            StreamState(
                venue: VenueID(rawValue: checkpoint.venue[index]), channel: channels[index], next: checkpoint.next[index],
                lastExchangeTime: checkpoint.lastExchangeTime[index], lastPrice: checkpoint.lastPrice[index],
                lastSequence: checkpoint.lastSequence[index], hasSequence: checkpoint.hasSequence[index])
        }
    }
}

extension TickValidator {
    /// The newest exchange time recorded on any stream (`nil` before the first tick): for in-order feeds, the
    /// time of the last tick this validator has seen.
    public var latestExchangeTime: Int64? {
        streams.lazy.map(\.lastExchangeTime).max()
    }
}
