import FuzzSupport
import MarketData

/// libFuzzer entry point: one input is one serialized `fulcrum.v1.Tick`.
///
/// The decoder must return or throw one of its two reasons, never trap, and every text it returns must lie
/// inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func protobufDecoderFuzzer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    do {
        let tick = try ProtobufTickDecoder().decode(input)
        for text in [tick.venue, tick.symbol] {
            fuzzCheck(text.offset >= 0 && text.count >= 0 && text.count <= input.count - text.offset,
                      "text \(text) outside a \(input.count)-byte message")
            fuzzCheck(text.withBytes(in: input, maximumLength: 255) { $0.count } != nil || text.count > 255,
                      "text \(text) cannot be read")
        }
    } catch {
        fuzzCheck(error == .truncatedProtobuf || error == .invalidProtobuf, "unexpected reason \(error)")
    }
    return 0
}
