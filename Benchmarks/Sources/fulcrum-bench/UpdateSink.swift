import Foundation
import Histogram
import ZeroMQ

/// `fulcrum-bench sink`: the subscriber downstream of the system under test.
///
/// - `--mode updates` subscribes to `risk.` and `portfolio` (protobuf renditions) and records, per grid boundary
///   (`as_of_ns`), when the last update of that step arrived. Once the load generator's summary exists and the
///   final boundary's updates have arrived (no message for `--idle-ms`), it joins the receipts with the load
///   generator's side table: closing-tick send → last update of the step, recorded in an HdrHistogram.
/// - `--mode count` counts multipart messages (the relay baseline forwards the ticks themselves) until every
///   sent message has arrived.
///
/// Either way it prints one JSON object: counts, the time of the last receipt that completes the run, and the
/// latency percentiles in microseconds.
struct UpdateSink {
    struct Receipt {
        var last: Int64
        var count: Int
    }

    let endpoint: String
    let countsMessages: Bool
    let summaryPath: String
    let sideTablePath: String?
    let timeout: Int64
    let idle: Int64

    init(options: BenchArguments) throws(BenchError) {
        endpoint = try options.string("endpoint")
        switch try options.string("mode", default: "updates") {
        case "updates": countsMessages = false
        case "count": countsMessages = true
        case let other: throw BenchError("--mode \(other): updates or count")
        }
        summaryPath = try options.string("load-summary")
        sideTablePath = try? options.string("side-table")
        timeout = Int64(try options.integer("timeout-seconds", default: 120)) * 1_000_000_000
        idle = Int64(try options.integer("idle-ms", default: 300)) * 1_000_000
    }

    mutating func run() throws {
        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .sub)
        try socket.setReceiveHighWaterMark(0)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: 20)
        if countsMessages {
            try socket.subscribe("")
        } else {
            try socket.subscribe("risk.")
            try socket.subscribe("portfolio")
        }
        try socket.connect(endpoint)

        let topic = Message(), payload = Message(), rest = Message()
        var receipts: [Int64: Receipt] = [:]
        var messages = 0
        var lastReceipt: Int64 = 0
        var load: LoadSummary?
        let started = WallClock.now
        var finished = false
        while !finished {
            if try socket.receive(into: topic) {
                let now = WallClock.now
                lastReceipt = now
                messages += 1
                var frames = 1
                var more = topic.hasMore
                if more {
                    try socket.receive(into: payload)
                    frames += 1
                    more = payload.hasMore
                }
                while more {
                    try socket.receive(into: rest)
                    more = rest.hasMore
                }
                if countsMessages {
                    if let load, messages >= load.sent { finished = true }
                    continue
                }
                guard frames >= 2, let boundary = Self.asOf(topic: topic.bytes, payload: payload.bytes) else { continue }
                receipts[boundary, default: Receipt(last: now, count: 0)].count += 1
                receipts[boundary]?.last = now
                continue
            }
            let now = WallClock.now
            if load == nil { load = LoadSummary(path: summaryPath) }
            if let load {
                let complete = countsMessages ? messages >= load.sent : receipts[load.finalBoundary] != nil
                if complete && now - lastReceipt >= idle { finished = true }
                // Something was lost: give up once nothing has arrived for a while.
                if now - max(lastReceipt, load.loadedAt) >= 3_000_000_000 { finished = true }
            }
            if now - started >= timeout { finished = true }
        }
        socket.close()
        try report(load: load, receipts: receipts, messages: messages, lastReceipt: lastReceipt)
    }

    private func report(load: LoadSummary?, receipts: [Int64: Receipt], messages: Int, lastReceipt: Int64) throws {
        var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: .three)
        var missing = 0
        if let sideTablePath, !countsMessages, let data = FileManager.default.contents(atPath: sideTablePath) {
            let pairs = data.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
            for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                guard let receipt = receipts[pairs[index]] else {
                    missing += 1
                    continue
                }
                histogram.record(UInt64(max(0, receipt.last - pairs[index + 1])))
            }
        }
        let end: Int64
        if countsMessages {
            end = lastReceipt
        } else if let load, let final = receipts[load.finalBoundary] {
            end = final.last
        } else {
            end = 0
        }
        let complete = load.map { countsMessages ? messages >= $0.sent : receipts[$0.finalBoundary] != nil } ?? false
        let throughput: Double
        // Book shapes: book-level updates per second over the same span (the deltas' levels, trades excluded).
        var bookLevelThroughput = 0.0
        if let load, complete, end > load.firstSendNs {
            throughput = Double(load.measured) / (Double(end - load.firstSendNs) / 1e9)
            bookLevelThroughput = Double(load.bookLevels) / (Double(end - load.firstSendNs) / 1e9)
        } else {
            throughput = 0
        }
        func micros(_ percentile: Double) -> String {
            histogram.totalCount == 0 ? "null" : String(Double(histogram.valueAtPercentile(percentile)) / 1_000)
        }
        let updates = receipts.values.reduce(0) { $0 + $1.count }
        print("""
            {"complete": \(complete), "messages": \(messages), "updates": \(updates), "steps": \(receipts.count), \
            "endNs": \(end), "throughput": \(throughput), "bookLevelThroughput": \(bookLevelThroughput), \
            "latencySamples": \(histogram.totalCount), \
            "latencyMissing": \(missing), "p50us": \(micros(50)), "p99us": \(micros(99)), \
            "p999us": \(micros(99.9)), "maxus": \(histogram.totalCount == 0 ? "null" : String(Double(histogram.max) / 1_000))}
            """)
    }

    /// `as_of_ns` of a `RiskParameters` (field 3) or `PortfolioUpdate` (field 2) payload.
    static func asOf(topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> Int64? {
        let field: UInt64 = topic.first == UInt8(ascii: "r") ? 3 : 2
        var index = 0
        while index < payload.count {
            guard let tag = varint(payload, &index) else { return nil }
            switch tag & 7 {
            case 0:
                guard let value = varint(payload, &index) else { return nil }
                if tag >> 3 == field { return Int64(bitPattern: value) }
            case 1: index += 8
            case 2:
                guard let length = varint(payload, &index) else { return nil }
                index += Int(length)
            case 5: index += 4
            default: return nil
            }
        }
        return nil
    }

    static func varint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}

/// What the load generator wrote when it finished sending.
struct LoadSummary {
    var sent: Int
    var measured: Int
    var firstSendNs: Int64
    var finalBoundary: Int64
    var loadedAt: Int64
    /// Book-level updates in the measured part (0 for the trade shapes).
    var bookLevels: Int

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sent = (object["sent"] as? NSNumber)?.intValue,
              let measured = (object["measured"] as? NSNumber)?.intValue,
              let first = (object["firstSendNs"] as? NSNumber)?.int64Value,
              let final = (object["finalBoundary"] as? NSNumber)?.int64Value
        else { return nil }
        self.sent = sent
        self.measured = measured
        firstSendNs = first
        finalBoundary = final
        loadedAt = WallClock.now
        bookLevels = (object["bookLevels"] as? NSNumber)?.intValue ?? 0
    }
}
