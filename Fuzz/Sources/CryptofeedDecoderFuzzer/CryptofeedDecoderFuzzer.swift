import FuzzSupport
import MarketData

/// libFuzzer entry point: one input is one cryptofeed ZeroMQ frame (`TOPIC JSON`).
///
/// The decoder must return, return `nil` (a channel Fulcrum ignores) or throw one of its documented reasons,
/// never trap; every text it returns must lie inside the input. The market-data decoder (books, funding, open
/// interest, liquidations, candles) runs on the same input under the same rules, and every book level it keeps is a
/// finite price > 0 with a finite size ≥ 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func cryptofeedDecoderFuzzer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    let documented: [RejectionReason] = [
        .malformedFrame, .unknownEncoding, .invalidJSON, .missingField, .invalidTimestamp,
    ]
    do {
        guard let tick = try CryptofeedDecoder().decode(input) else { return 0 }
        for text in [tick.venue, tick.symbol] {
            fuzzCheck(text.offset >= 0 && text.count >= 0 && text.count <= input.count - text.offset,
                      "text \(text) outside a \(input.count)-byte frame")
        }
    } catch {
        fuzzCheck(documented.contains(error), "undocumented reason \(error)")
    }
    var levels = BookLevelBuffer()
    let decoder = CryptofeedBusDecoder()
    _ = decoder.mayDecode(input)
    do {
        guard let message = try decoder.decode(input, levels: &levels) else { return 0 }
        for text in [message.venue, message.symbol] {
            fuzzCheck(text.offset >= 0 && text.count >= 0 && text.count <= input.count - text.offset,
                      "text \(text) outside a \(input.count)-byte frame")
        }
        for (price, size) in zip(levels.bidPrices + levels.askPrices, levels.bidSizes + levels.askSizes) {
            fuzzCheck(price.isFinite && price > 0 && size.isFinite && size >= 0, "level \(price) × \(size) kept")
        }
    } catch {
        fuzzCheck(documented.contains(error) || error == .invalidBookLevel, "undocumented reason \(error)")
    }
    return 0
}
