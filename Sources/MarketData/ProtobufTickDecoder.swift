/// A hand-written, allocation-free decoder of the proto3 wire format of `fulcrum.v1.Tick`.
///
/// It reads the message in one pass straight from the received frame. Wire rules:
/// - Tags are varints of at most 32 bits; field number 0, wire types 6 and 7 are invalid.
/// - Varints are at most 10 bytes, and the tenth byte may only carry the 64th bit; longer or wider is invalid.
/// - A known field with a wire type other than its declared one is invalid (we do not guess at packed or
///   reinterpreted encodings of singular fields).
/// - Unknown fields of every wire type are skipped, groups included (matched by field number, nested up to
///   ``maximumGroupDepth``); an end-group tag outside its group is invalid.
/// - A field that runs past the end of the buffer is ``RejectionReason/truncatedProtobuf``; a length-delimited
///   length of 2 GiB or more is invalid, as in the reference implementation.
/// - A field that occurs several times takes its last value (proto3 "last one wins").
///
/// Strings are not copied or checked for UTF-8 here: the venue and symbol are returned as ``FrameText``s and
/// checked (printable ASCII only) when they are interned.
public struct ProtobufTickDecoder: Sendable {
    /// The deepest nesting of unknown groups that is skipped before the message is declared invalid.
    public static let maximumGroupDepth = 64

    /// Creates a decoder. It has no state.
    public init() {}

    /// Decodes one serialized `fulcrum.v1.Tick`.
    ///
    /// - Throws: ``RejectionReason/truncatedProtobuf`` or ``RejectionReason/invalidProtobuf``.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws(RejectionReason) -> DecodedTick {
        var tick = DecodedTick()
        guard let base = buffer.baseAddress else { return tick }
        let end = buffer.count
        var index = 0
        while index < end {
            let tag = try Self.readVarint(base, end, &index)
            guard tag <= UInt64(UInt32.max) else { throw .invalidProtobuf }
            let field = tag &>> 3
            let wireType = UInt8(truncatingIfNeeded: tag & 7)
            guard field != 0 else { throw .invalidProtobuf }
            switch field {
            case 1, 2:
                guard wireType == 2 else { throw .invalidProtobuf }
                let length = try Self.readLength(base, end, &index)
                let text = FrameText(offset: index, count: length)
                if field == 1 { tick.venue = text } else { tick.symbol = text }
                index &+= length
            case 3, 4, 5, 6:
                guard wireType == 1 else { throw .invalidProtobuf }
                guard end &- index >= 8 else { throw .truncatedProtobuf }
                let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index &+= 8
                let value = Double(bitPattern: bits)
                switch field {
                case 3: tick.price = value
                case 4: tick.bid = value
                case 5: tick.ask = value
                default: tick.size = value
                }
            case 7, 8, 9, 10:
                guard wireType == 0 else { throw .invalidProtobuf }
                let value = try Self.readVarint(base, end, &index)
                switch field {
                case 7:
                    // Enums are int32 on the wire; wider varints are truncated, as the reference decoder does.
                    let raw = Int32(truncatingIfNeeded: value)
                    tick.sideValue = raw
                    tick.side = TickSide(protobufValue: raw)
                case 8: tick.exchangeTime = Int64(bitPattern: value)
                case 9: tick.sourceReceiptTime = Int64(bitPattern: value)
                default: tick.feedSequence = value
                }
            default:
                try Self.skipField(number: field, wireType: wireType, base, end, &index, depth: 0)
            }
        }
        return tick
    }

    /// Reads a base-128 varint; at most 10 bytes, the last contributing only bit 63.
    @inline(__always)
    static func readVarint(
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int
    ) throws(RejectionReason) -> UInt64 {
        guard index < end else { throw .truncatedProtobuf }
        let first = base.load(fromByteOffset: index, as: UInt8.self)
        index &+= 1
        if first < 0x80 { return UInt64(first) }
        var result = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            guard index < end else { throw .truncatedProtobuf }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            index &+= 1
            if shift == 63 {
                // The tenth byte holds bit 63 only; anything else overflows 64 bits or continues further.
                guard byte <= 1 else { throw .invalidProtobuf }
                return result | (UInt64(byte) &<< 63)
            }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
    }

    /// Reads the length prefix of a length-delimited field and checks that the body fits in the buffer.
    @inline(__always)
    static func readLength(
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int
    ) throws(RejectionReason) -> Int {
        let length = try readVarint(base, end, &index)
        guard length < 0x7FFF_FFFF else { throw .invalidProtobuf }
        guard length <= UInt64(end &- index) else { throw .truncatedProtobuf }
        return Int(length)
    }

    /// Skips the body of one field whose tag has been read, including a whole group for wire type 3.
    static func skipField(
        number: UInt64, wireType: UInt8,
        _ base: UnsafeRawPointer, _ end: Int, _ index: inout Int, depth: Int
    ) throws(RejectionReason) {
        switch wireType {
        case 0:
            _ = try readVarint(base, end, &index)
        case 1:
            guard end &- index >= 8 else { throw .truncatedProtobuf }
            index &+= 8
        case 2:
            let length = try readLength(base, end, &index)
            index &+= length
        case 3:
            guard depth < maximumGroupDepth else { throw .invalidProtobuf }
            while true {
                // A group that is still open at the end of the buffer was cut off.
                let tag = try readVarint(base, end, &index)
                guard tag <= UInt64(UInt32.max) else { throw .invalidProtobuf }
                let field = tag &>> 3
                let innerType = UInt8(truncatingIfNeeded: tag & 7)
                guard field != 0 else { throw .invalidProtobuf }
                if innerType == 4 {
                    guard field == number else { throw .invalidProtobuf }
                    return
                }
                try skipField(number: field, wireType: innerType, base, end, &index, depth: depth &+ 1)
            }
        case 5:
            guard end &- index >= 4 else { throw .truncatedProtobuf }
            index &+= 4
        default:
            // 4 (end-group) outside a group, or the undefined wire types 6 and 7.
            throw .invalidProtobuf
        }
    }
}
