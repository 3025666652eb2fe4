import FuzzSupport
import MarketData

/// libFuzzer entry point: one input is an ``IngestScript`` — a sequence of messages on three feeds — run
/// through a fresh ``TickIngestor`` with the ingestor's invariants checked after every message.
@_cdecl("LLVMFuzzerTestOneInput")
public func ingestFuzzer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    var script = IngestScript()
    let report = script.run(input)
    fuzzCheck(report.violations.isEmpty, report.violations.joined(separator: "; "))
    return 0
}
