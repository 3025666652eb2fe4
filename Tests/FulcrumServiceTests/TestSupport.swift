import Foundation
import FulcrumProtocol
import FulcrumRecording
import FulcrumSettings
import Logging
import MarginModel
import Synchronization
@testable import ConfigurationLoading
@testable import FulcrumCheckpoint
@testable import FulcrumEngine
@testable import FulcrumOperations
@testable import FulcrumService

/// Relative comparison of computed floating-point values: |a − b| ≤ tolerance · max(|a|, |b|).
func isApproximatelyEqual(_ a: Double, _ b: Double, relativeTolerance: Double = 1e-9) -> Bool {
    if a == b { return true }
    guard a.isFinite, b.isFinite else { return false }
    return abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
}

/// The repository root (tests read `deploy/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Log records kept in memory, for asserting what was logged.
final class LogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Record]>([])

    /// A logger writing into this capture at `level`.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in CaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    func append(_ record: Record) { storage.withLock { $0.append(record) } }

    var records: [Record] { storage.withLock { $0 } }
}

/// A swift-log handler appending to a ``LogCapture``.
struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append(.init(level: event.level, message: event.message.description,
                             metadata: merged.mapValues { "\($0)" }))
    }
}

/// Samples of the Prometheus text exposition format, keyed by `name{label="value",…}` with labels sorted.
struct PrometheusSamples {
    var values: [String: Double] = [:]
    var types: [String: String] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count >= 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                  let value = Double(line[line.index(after: space)...]) else { continue }
            values[Self.normalize(String(line[..<space]))] = value
        }
    }

    /// The value of the sample `name` with `labels`, if present.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        values[Self.key(name, labels)]
    }

    /// The cumulative buckets of histogram `name` as (upper bound, count), sorted by bound.
    func buckets(_ name: String) -> [(bound: Double, count: Double)] {
        let prefix = name + "_bucket{le=\""
        return values.compactMap { key, value -> (Double, Double)? in
            guard key.hasPrefix(prefix), key.hasSuffix("\"}") else { return nil }
            let bound = key.dropFirst(prefix.count).dropLast(2)
            return (bound == "+Inf" ? .infinity : Double(bound) ?? .nan, value)
        }.sorted { $0.0 < $1.0 }
    }

    static func key(_ name: String, _ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
            .joined(separator: ",") + "}"
    }

    static func normalize(_ series: String) -> String {
        guard let open = series.firstIndex(of: "{"), series.hasSuffix("}") else { return series }
        let name = String(series[..<open])
        let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
        var labels: [String: String] = [:]
        for pair in body.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
        }
        return key(name, labels)
    }
}

/// A small engine configuration: one protobuf feed named `test`, symbols AAA and BBB, a 1 s grid, short
/// warm-up, and ticks accepted up to an hour old.
func engineConfiguration() throws -> FulcrumConfiguration {
    let yaml = """
        ingest:
          feeds:
            - name: test
              endpoint: tcp://127.0.0.1:5999
          symbols:
            allowList: [AAA, BBB]
          validation:
            maximumAge: 1h
        estimation:
          gridInterval: 1s
          halfLife: 10s
          warmupESS: 5
        """
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-\(UUID().uuidString).yaml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    return try ConfigurationLoader.load(FulcrumConfiguration.self, defaults: FulcrumConfiguration(),
                                        path: file.path)
}

/// Feeds `[topic, payload]` through `engine` as feed 0.
@discardableResult
func ingest(_ engine: inout RiskEngine, topic: [UInt8], payload: [UInt8], receiptTime: Int64) -> Int {
    var updates = 0
    topic.withUnsafeBytes { first in
        payload.withUnsafeBytes { second in
            _ = engine.ingest(feed: 0, frameCount: 2, first, second, receiptTime: receiptTime) { _ in updates += 1 }
        }
    }
    return updates
}

/// A protobuf tick frame pair.
func tickFrames(_ symbol: String, price: Double, at nanoseconds: Int64, sequence: UInt64) throws
    -> (topic: [UInt8], payload: [UInt8]) {
    var tick = WireTick()
    tick.venue = "TEST"
    tick.symbol = symbol
    tick.price = price
    tick.exchangeTimeNs = nanoseconds
    tick.feedSequence = sequence
    return (Array("tick.TEST.\(symbol)".utf8), try tick.serializedBytes())
}
