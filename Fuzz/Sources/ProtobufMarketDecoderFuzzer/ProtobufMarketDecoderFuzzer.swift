import FuzzSupport
import MarketData

/// libFuzzer entry point: one input is one serialized `fulcrum.v1.MarketUpdate` (or `Tick`), run through
/// ``ProtobufMarketDecoder`` alone and through a protobuf feed's Tick-or-MarketUpdate path after a book snapshot;
/// the invariants are ``MarketUpdateHarness``'s.
@_cdecl("LLVMFuzzerTestOneInput")
public func protobufMarketDecoderFuzzer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    let report = MarketUpdateHarness.run(input)
    fuzzCheck(report.violations.isEmpty, report.violations.joined(separator: "; "))
    return 0
}
