/// A hand-written, allocation-free decoder of `fulcrum.v1.MarketUpdate` (protocols/fulcrum/v1/market.proto), the
/// message a protobuf feed sends in place of a `Tick` for books, funding, open interest, liquidations and
/// candles.
///
/// `MarketUpdate` shares fields 1 (`venue`), 2 (`symbol`), 8 (`exchange_time_ns`) and 9 (`receipt_time_ns`) with
/// `Tick`, and carries one of the fields 20 … 24 (`book`, `funding`, `open_interest`, `liquidation`, `candle`),
/// which `Tick` does not have: a message with none of them is not a market update (``decode(_:levels:)`` returns
/// `nil`). Wire rules are ``ProtobufTickDecoder``'s; when several of the fields 20 … 24 occur, the last one wins
/// (as for a `oneof`), a repeated sub-message replacing the earlier one rather than merging with it.
public struct ProtobufMarketDecoder: Sendable {
    /// Creates a decoder. It has no state.
    public init() {}

    /// Decodes one serialized `MarketUpdate`; book levels go to `levels` (cleared first).
    ///
    /// - Throws: ``RejectionReason/truncatedProtobuf``, ``RejectionReason/invalidProtobuf``,
    ///   ``RejectionReason/missingField`` (a sub-message without its required value),
    ///   ``RejectionReason/invalidBookLevel``.
    public func decode(
        _ buffer: UnsafeRawBufferPointer, levels: inout BookLevelBuffer
    ) throws(RejectionReason) -> DecodedMarketMessage? {
        levels.removeAll()
        guard let base = buffer.baseAddress else { return nil }
        let end = buffer.count
        var index = 0
        var message = DecodedMarketMessage(channel: .book)
        var found = false
        var venue = FrameText.empty
        var symbol = FrameText.empty
        var time: Int64 = 0
        while index < end {
            let (field, wireType) = try Self.readTag(base, end, &index)
            switch field {
            case 1, 2:
                guard wireType == 2 else { throw .invalidProtobuf }
                let length = try ProtobufTickDecoder.readLength(base, end, &index)
                let text = FrameText(offset: index, count: length)
                if field == 1 { venue = text } else { symbol = text }
                index &+= length
            case 8:
                guard wireType == 0 else { throw .invalidProtobuf }
                time = Int64(bitPattern: try ProtobufTickDecoder.readVarint(base, end, &index))
            case 20, 21, 22, 23, 24:
                guard wireType == 2 else { throw .invalidProtobuf }
                let length = try ProtobufTickDecoder.readLength(base, end, &index)
                let channel = BusChannel(rawValue: UInt8(field &- 20)) ?? .book
                message = try Self.decodeBody(channel, base, start: index, end: index &+ length, levels: &levels)
                found = true
                index &+= length
            default:
                try ProtobufTickDecoder.skipField(number: field, wireType: wireType, base, end, &index, depth: 0)
            }
        }
        guard found else { return nil }
        message.venue = venue
        message.symbol = symbol
        message.exchangeTime = time
        guard venue.count > 0, symbol.count > 0 else { throw .missingField }
        return message
    }

    @inline(__always)
    private static func readTag(
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int
    ) throws(RejectionReason) -> (UInt64, UInt8) {
        let tag = try ProtobufTickDecoder.readVarint(base, end, &index)
        guard tag <= UInt64(UInt32.max) else { throw .invalidProtobuf }
        let field = tag &>> 3
        guard field != 0 else { throw .invalidProtobuf }
        return (field, UInt8(truncatingIfNeeded: tag & 7))
    }

    @inline(__always)
    private static func readDouble(
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int, wireType: UInt8
    ) throws(RejectionReason) -> Double {
        guard wireType == 1 else { throw .invalidProtobuf }
        guard end &- index >= 8 else { throw .truncatedProtobuf }
        let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        index &+= 8
        return Double(bitPattern: bits)
    }

    @inline(__always)
    private static func readVarint(
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int, wireType: UInt8
    ) throws(RejectionReason) -> UInt64 {
        guard wireType == 0 else { throw .invalidProtobuf }
        return try ProtobufTickDecoder.readVarint(base, end, &index)
    }

    /// One sub-message (`BookUpdate`, `Funding`, `OpenInterest`, `Liquidation`, `Candle`) between `start` and `end`.
    private static func decodeBody(
        _ channel: BusChannel, _ base: UnsafeRawPointer, start: Int, end: Int, levels: inout BookLevelBuffer
    ) throws(RejectionReason) -> DecodedMarketMessage {
        var message = DecodedMarketMessage(channel: channel)
        var index = start
        var seen: UInt32 = 0
        if channel == .book { levels.removeAll() }
        while index < end {
            let (field, wireType) = try readTag(base, end, &index)
            if field < 32 { seen |= 1 &<< UInt32(field) }
            switch (channel, field) {
            case (.book, 1):
                message.isSnapshot = try readVarint(base, end, &index, wireType: wireType) != 0
            case (.book, 2), (.book, 3):
                guard wireType == 2 else { throw .invalidProtobuf }
                let length = try ProtobufTickDecoder.readLength(base, end, &index)
                let (price, size) = try level(base, start: index, end: index &+ length)
                try levels.append(isBid: field == 2, price: price, size: size)
                index &+= length
            case (.funding, 1): message.price = try readDouble(base, end, &index, wireType: wireType)
            case (.funding, 2): message.indexPrice = try readDouble(base, end, &index, wireType: wireType)
            case (.funding, 3): message.rate = try readDouble(base, end, &index, wireType: wireType)
            case (.openInterest, 1): message.quantity = try readDouble(base, end, &index, wireType: wireType)
            case (.liquidations, 1):
                message.side = TickSide(protobufValue: Int32(truncatingIfNeeded: try readVarint(
                    base, end, &index, wireType: wireType)))
            case (.liquidations, 2): message.quantity = try readDouble(base, end, &index, wireType: wireType)
            case (.liquidations, 3): message.price = try readDouble(base, end, &index, wireType: wireType)
            case (.candles, 1):
                message.intervalStart = Int64(bitPattern: try readVarint(base, end, &index, wireType: wireType))
            case (.candles, 2):
                message.intervalEnd = Int64(bitPattern: try readVarint(base, end, &index, wireType: wireType))
            case (.candles, 3): message.quantity = try readDouble(base, end, &index, wireType: wireType)
            case (.candles, 4): message.price = try readDouble(base, end, &index, wireType: wireType)
            case (.candles, 5): message.isClosed = try readVarint(base, end, &index, wireType: wireType) == 0
            default:
                try ProtobufTickDecoder.skipField(number: field, wireType: wireType, base, end, &index, depth: 0)
            }
        }
        // proto3 scalars are absent when zero; the required ones of each channel must be on the wire.
        switch channel {
        case .book: break
        case .funding: guard seen & (1 << 1) != 0 else { throw .missingField }
        case .openInterest: guard seen & (1 << 1) != 0 else { throw .missingField }
        case .liquidations: guard seen & (1 << 2 | 1 << 3) == (1 << 2 | 1 << 3) else { throw .missingField }
        case .candles: guard seen & (1 << 4) != 0 else { throw .missingField }
        }
        if channel == .openInterest && message.quantity.isNaN { throw .missingField }
        if channel == .candles && message.quantity.isNaN { message.quantity = 0 }
        if channel == .book { message.quantity = Double(levels.count) }
        return message
    }

    /// A `BookLevel`: price (1) and size (2), both doubles; an absent size is 0 (a removal).
    private static func level(
        _ base: UnsafeRawPointer, start: Int, end: Int
    ) throws(RejectionReason) -> (Double, Double) {
        var index = start
        var price = 0.0
        var size = 0.0
        while index < end {
            let (field, wireType) = try readTag(base, end, &index)
            switch field {
            case 1: price = try readDouble(base, end, &index, wireType: wireType)
            case 2: size = try readDouble(base, end, &index, wireType: wireType)
            default:
                try ProtobufTickDecoder.skipField(number: field, wireType: wireType, base, end, &index, depth: 0)
            }
        }
        return (price, size)
    }
}
