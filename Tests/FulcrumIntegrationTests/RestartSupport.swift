import Foundation
import FulcrumProtocol
import FulcrumTestSupport
import RiskFeed
import Testing
import ZeroMQ

/// A feed Fulcrum connects to (`bind: false`): an XPUB bound on loopback, so the test sees Fulcrum's subscription
/// arrive and knows no tick is lost to the slow-joiner window. Optionally a CURVE server. Used from one test task.
final class FeedServer {
    let context: ZMQContext
    let socket: Socket
    let endpoint: String

    init(curve: CurveKeyPair? = nil, bind address: String = "tcp://127.0.0.1:*") throws {
        context = try ZMQContext()
        socket = try Socket(context: context, type: .xpub)
        try socket.setLinger(milliseconds: 2_000)
        try socket.setSendHighWaterMark(0)
        if let curve { try socket.setCurveServer(secretKey: curve.secretKey) }
        try socket.bind(address)
        endpoint = try socket.lastEndpoint
    }

    deinit { socket.close() }

    /// Waits until a subscriber's subscription arrives; false after `timeout`.
    func waitForSubscriber(timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            while let frames = try socket.receiveMultipart(wait: false) {
                if frames.first?.first == 1 { return true }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func send(_ tick: WireTick) throws {
        try socket.send(multipart: [Array("tick.\(tick.venue).\(tick.symbol)".utf8), try tick.serializedBytes()])
    }
}

/// A deterministic multi-asset tick series on a 1 s grid: per step one tick per symbol at +100, +300, +700 ms,
/// log returns from a fixed SplitMix64 stream, strictly increasing exchange times, feed sequence numbers.
struct TickSeries {
    static let symbols = ["AAA", "BBB", "CCC"]
    let start: Int64
    let ticks: [WireTick]

    /// `steps` steps starting at the whole second `start` (default: 30 minutes ago).
    init(steps: Int, start: Int64 = (Int64(Date().timeIntervalSince1970) - 1_800) * 1_000_000_000) {
        self.start = start
        var random = SplitMix64(seed: 0x5EED)
        func uniform() -> Double { random.nextHalfOpenUnit() }
        var prices = [100.0, 20.0, 3.0]
        var ticks: [WireTick] = []
        var sequence: UInt64 = 0
        let offsets: [Int64] = [100_000_000, 300_000_000, 700_000_000]
        for step in 0..<steps {
            for index in Self.symbols.indices {
                prices[index] *= exp(0.003 * (uniform() - 0.5) + (uniform() < 0.03 ? 0.02 * (uniform() - 0.5) : 0))
                var tick = WireTick()
                tick.venue = "TEST"
                tick.symbol = Self.symbols[index]
                tick.price = prices[index]
                tick.size = 1 + uniform()
                tick.exchangeTimeNs = start + Int64(step) * 1_000_000_000 + offsets[index]
                sequence += 1
                tick.feedSequence = sequence
                ticks.append(tick)
            }
        }
        self.ticks = ticks
    }

    /// The grid boundary closed by the first tick of `step` (≥ 1).
    func boundary(step: Int) -> Int64 { start + Int64(step) * 1_000_000_000 }

    /// The boundary the last tick closes.
    var lastBoundary: Int64 { boundary(step: ticks.count / Self.symbols.count - 1) }
}

/// Reads a checkpoint database from outside the process under test (Python's sqlite3, a different SQLite client).
enum SQLiteProbe {
    /// Rows of `sql` as JSON arrays; throws with the script's error output when Python fails.
    static func query(_ path: String, _ sql: String) async throws -> [[Any]] {
        let script = """
            import json, sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            rows = connection.execute(sys.argv[2]).fetchall()
            connection.commit()
            print(json.dumps([[v if not isinstance(v, bytes) else len(v) for v in row] for row in rows]))
            """
        let result = try await Python.run(["-c", script, path, sql], timeout: .seconds(30))
        guard result.status == 0 else {
            throw ZMQError(code: .invalidArgument, errno: 0, message: "sqlite probe failed: \(result.error)",
                           operation: "SQLiteProbe")
        }
        return (try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[Any]]) ?? []
    }

    /// Flips one bit of the stored payload's byte at `offset`, as a damaged disk would, leaving SQLite's own
    /// structures sound.
    static func flipPayloadByte(_ path: String, at offset: Int) async throws {
        let script = """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            payload = bytearray(connection.execute("SELECT payload FROM checkpoint").fetchone()[0])
            payload[int(sys.argv[2])] ^= 0x10
            connection.execute("UPDATE checkpoint SET payload = ?", (bytes(payload),))
            connection.commit()
            """
        let result = try await Python.run(["-c", script, path, "\(offset)"], timeout: .seconds(30))
        #expect(result.status == 0, "flip failed: \(result.error)")
    }

    /// `(boundary_ns, through_exchange_time_ns, steps_run, epoch)` of the stored checkpoint, if any.
    static func checkpoint(_ path: String) async throws -> (boundary: Int64, through: Int64, steps: Int64, epoch: Int64)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let rows = try await query(path, "SELECT boundary_ns, through_exchange_time_ns, steps_run, epoch FROM checkpoint")
        guard let row = rows.first, row.count == 4 else { return nil }
        func int(_ value: Any) -> Int64 { (value as? NSNumber)?.int64Value ?? 0 }
        return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))
    }
}

/// One snapshot request on a DEALER (the Clone pattern's step 2): the current payload per topic, or `nil` when no
/// reply arrives within `timeoutMilliseconds`.
func requestSnapshot(_ endpoint: String, curve: CurveClientOptions? = nil,
                     timeoutMilliseconds: Int = 3_000) throws -> [String: [UInt8]]? {
    let context = try ZMQContext()
    let socket = try Socket(context: context, type: .dealer)
    defer { socket.close() }
    try socket.setLinger(milliseconds: 0)
    try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
    if let curve { try socket.setCurveClient(serverKey: curve.serverKey, keyPair: curve.keyPair) }
    try socket.connect(endpoint)
    try socket.send(try Fulcrum_V1_SnapshotRequest().serializedBytes())
    var topics: [String: [UInt8]] = [:]
    while let frames = try socket.receiveMultipart(), frames.count == 3 {
        let topic = String(decoding: frames[0], as: UTF8.self)
        if topic == "snapshot.end" { return topics }
        topics[topic] = frames[1]
    }
    return nil
}

/// Waits for a process to exit by itself; true if it did within `timeout`.
func waitForExit(_ process: Process, timeout: Duration = .seconds(30)) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    return !process.isRunning
}

/// The differences between two parameter messages that matter to a consumer, ignoring the publisher epoch.
func parameterDifferences(_ got: WireRiskParameters, _ want: WireRiskParameters) -> [String] {
    var differences: [String] = []
    func number(_ name: String, _ a: Double, _ b: Double) {
        if !a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12) {
            differences.append("\(name) \(a) vs \(b)")
        }
    }
    if got.asOfNs != want.asOfNs { differences.append("as_of \(got.asOfNs) vs \(want.asOfNs)") }
    if got.gridStep != want.gridStep { differences.append("grid_step \(got.gridStep) vs \(want.gridStep)") }
    if got.status != want.status { differences.append("status \(got.status) vs \(want.status)") }
    if got.reasons != want.reasons { differences.append("reasons \(got.reasons) vs \(want.reasons)") }
    if got.maxLeverage != want.maxLeverage { differences.append("max_leverage \(got.maxLeverage) vs \(want.maxLeverage)") }
    number("imf", got.imf, want.imf)
    number("mmf", got.mmf, want.mmf)
    number("price", got.price, want.price)
    number("sigma_step", got.inputs.sigmaStep, want.inputs.sigmaStep)
    number("sigma_horizon", got.inputs.sigmaHorizon, want.inputs.sigmaHorizon)
    number("stressed_sigma_step", got.inputs.stressedSigmaStep, want.inputs.stressedSigmaStep)
    number("imf_target", got.imfTarget, want.imfTarget)
    number("mmf_target", got.mmfTarget, want.mmfTarget)
    if got.inputs.residualCount != want.inputs.residualCount { differences.append("residual_count") }
    if got.etaSteps != want.etaSteps { differences.append("eta_steps \(got.etaSteps) vs \(want.etaSteps)") }
    if got.tiers.count != want.tiers.count { differences.append("tier count") }
    for (index, (a, b)) in zip(got.tiers, want.tiers).enumerated() {
        number("tiers[\(index)].imf", a.imf, b.imf)
        number("tiers[\(index)].mmf", a.mmf, b.mmf)
        number("tiers[\(index)].maintenance_deduction", a.maintenanceDeduction, b.maintenanceDeduction)
    }
    return differences
}

/// `nil` when two parameter messages are equal in every field — doubles bit for bit, coverage included — except
/// `publisher_epoch`, which differs by design: every process start is a new epoch (protocols/README.md, "Restarts,
/// checkpoints and epochs"). Otherwise a description of what differs. No field carries wall-clock time: as-of,
/// staleness and ETA are event time.
func exactDifferences(_ got: WireRiskParameters, _ want: WireRiskParameters) -> String? {
    var got = got
    var want = want
    got.publisherEpoch = 0
    want.publisherEpoch = 0
    guard let a = try? got.serializedBytes() as [UInt8], let b = try? want.serializedBytes() as [UInt8] else {
        return "not serializable"
    }
    if a == b { return nil }
    var differences = parameterDifferences(got, want)
    if got.coverage != want.coverage { differences.append("coverage \(got.coverage) vs \(want.coverage)") }
    let bits = [("imf", got.imf, want.imf), ("mmf", got.mmf, want.mmf), ("mmf_long", got.mmfLong, want.mmfLong),
                ("mmf_short", got.mmfShort, want.mmfShort), ("imf_target", got.imfTarget, want.imfTarget)]
    for (name, x, y) in bits where x.bitPattern != y.bitPattern {
        differences.append("\(name) \(x) vs \(y) (bits)")
    }
    return differences.isEmpty ? "serialized bytes differ" : differences.joined(separator: ", ")
}

/// Runs the built `fulcrum` binary with `arguments` to completion (or `timeout`); returns status and output.
func runFulcrumBinary(_ arguments: [String], timeout: Duration = .seconds(60)) async throws
    -> (status: Int32, output: String, error: String) {
    try await runToCompletion(FulcrumProcess.binary, arguments, timeout: timeout)
}
