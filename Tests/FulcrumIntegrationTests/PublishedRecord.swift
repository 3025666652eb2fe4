import Foundation
import FulcrumTestSupport

/// Every `risk.*` update Fulcrum published in one epoch, as a consumer that missed none applied them (the `applied`
/// events of Scripts/netns_peer.py), to check what another consumer applied against.
struct PublishedRecord {
    private var bySequence: [Int: [String: Any]] = [:]
    /// Per symbol, the updates in sequence order.
    private var bySymbol: [String: [(sequence: Int, event: [String: Any])]] = [:]
    let epoch: String

    /// A record from the live `applied` events of a consumer that saw the whole epoch.
    init(_ live: [[String: Any]]) {
        epoch = live.first.map { "\($0["epoch"] ?? "")" } ?? ""
        for event in live {
            let sequence = event["sequence"] as? Int ?? -1
            bySequence[sequence] = event
            bySymbol[event["symbol"] as? String ?? "", default: []].append((sequence, event))
        }
        for symbol in bySymbol.keys { bySymbol[symbol]?.sort { $0.sequence < $1.sequence } }
    }

    /// What is wrong with the `applied` events of a consumer, in the order it applied them; empty when every value is
    /// right.
    ///
    /// A live update must be the published update with its sequence number. A snapshot batch (the snapshot's items
    /// and the queued updates applied after them, all stamped with the sequence the consumer resumed from) must hold,
    /// per symbol, the newest update published up to that sequence, for exactly the symbols published by then, and
    /// anything earlier in the batch must be a published update of its symbol up to that sequence. Across
    /// everything applied, a symbol's as-of never goes backwards.
    func check(_ applied: [[String: Any]]) -> [String] {
        var wrong: [String] = []
        var lastAsOf: [String: Int64] = [:]
        for event in applied {
            let symbol = event["symbol"] as? String ?? ""
            let asOf = (event["as_of_ns"] as? NSNumber)?.int64Value ?? .min
            if let last = lastAsOf[symbol], asOf < last { wrong.append("as-of went back from \(last): \(event)") }
            lastAsOf[symbol] = asOf
            if "\(event["epoch"] ?? "")" != epoch { wrong.append("epoch not \(epoch): \(event)") }
        }
        var index = applied.startIndex
        while index < applied.endIndex {
            let event = applied[index]
            guard event["snapshot"] as? Bool == true else {
                wrong += checkLive(event)
                index += 1
                continue
            }
            let sequence = event["sequence"] as? Int ?? -1
            let batchEnd = applied[index...].firstIndex {
                $0["snapshot"] as? Bool != true || $0["sequence"] as? Int != sequence
            } ?? applied.endIndex
            wrong += checkSnapshot(Array(applied[index..<batchEnd]), through: sequence)
            index = batchEnd
        }
        return wrong
    }

    private func checkLive(_ event: [String: Any]) -> [String] {
        guard let sequence = event["sequence"] as? Int, let published = bySequence[sequence] else {
            return ["live update never published: \(event)"]
        }
        return Self.mismatches(event, published)
    }

    private func checkSnapshot(_ batch: [[String: Any]], through sequence: Int) -> [String] {
        var wrong: [String] = []
        var lastInBatch: [String: [String: Any]] = [:]
        for event in batch {
            let symbol = event["symbol"] as? String ?? ""
            lastInBatch[symbol] = event
            let candidates = (bySymbol[symbol] ?? []).filter { $0.sequence <= sequence }.map(\.event)
            if !candidates.contains(where: { Self.mismatches(event, $0).isEmpty }) {
                wrong.append("snapshot value never published up to #\(sequence): \(event)")
            }
        }
        let publishedSymbols = bySymbol.filter { $0.value.contains { $0.sequence <= sequence } }.keys
        if Set(publishedSymbols) != Set(lastInBatch.keys) {
            wrong.append("snapshot at #\(sequence) holds \(lastInBatch.keys.sorted()), published by then "
                         + "\(publishedSymbols.sorted())")
        }
        for (symbol, event) in lastInBatch {
            guard let newest = bySymbol[symbol]?.last(where: { $0.sequence <= sequence })?.event else { continue }
            for mismatch in Self.mismatches(event, newest) {
                wrong.append("snapshot at #\(sequence) not the newest for \(symbol): \(mismatch)")
            }
        }
        return wrong
    }

    /// Fields of an applied update that differ from a published one.
    static func mismatches(_ event: [String: Any], _ published: [String: Any]) -> [String] {
        var wrong: [String] = []
        for field in ["symbol", "as_of_ns"] where "\(published[field] ?? "")" != "\(event[field] ?? "")" {
            wrong.append("\(field): \(event) vs \(published)")
        }
        for field in ["imf", "mmf", "sigma_step"] {
            let a = event[field] as? Double ?? .nan, b = published[field] as? Double ?? .nan
            if !a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12) {
                wrong.append("\(field): \(event) vs \(published)")
            }
        }
        return wrong
    }
}
