import Foundation
import FulcrumProtocol
import FulcrumTestSupport
import Testing

/// `fulcrum record` as its own process: real SUB sockets on the bus, records appended as they arrive, and a file
/// that survives the recorder being killed. The file is read back by an independent Python reader of the
/// documented format and replayed by `fulcrum backtest`.
@Suite("fulcrum record", .serialized, .timeLimit(.minutes(3)))
struct BacktestRecorderTests {
    @Test("Records what arrives on the bus; a killed recorder leaves a readable file that replays")
    func recordThenKill() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-backtest")
        defer { directory.remove() }
        let port = try FreePorts.take(1)[0]
        let path = directory.path("bus.frec")
        let recorder = Process()
        recorder.executableURL = FulcrumProcess.binary
        recorder.arguments = ["record", "--feed", "bus=tcp://127.0.0.1:\(port)", "--bind", "--out", path,
                              "--fsync", "always"]
        let log = Pipe()
        recorder.standardError = log
        recorder.standardOutput = log
        try recorder.run()
        defer { if recorder.isRunning { recorder.terminate() } }

        let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(port)")
        let start = (Int64(Date().timeIntervalSince1970) - 60) * 1_000_000_000
        // Until the connection is up, ticks vanish; send a marker until the first record reaches the file.
        let deadline = ContinuousClock.now + .seconds(20)
        func size() -> Int {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        }
        // The header (metadata, its size depends on the feed's settings) is written first; a record grows it.
        var header = 0
        while header == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(30))
            header = size()
        }
        var recorded = false
        while !recorded, ContinuousClock.now < deadline {
            try publisher.send(TickPublisher.tick("WARM", price: 1, at: start))
            try await Task.sleep(for: .milliseconds(30))
            recorded = header > 0 && size() > header
        }
        try #require(recorded, "the recorder wrote nothing")
        var sent: [WireTick] = []
        for index in 0..<50 {
            let symbol = index % 2 == 0 ? "AAA" : "BBB"
            let time: Int64 = start + Int64(index + 1) * 100_000_000
            sent.append(TickPublisher.tick(symbol, price: 100 + Double(index), at: time,
                                           sequence: UInt64(1_000 + index)))
        }
        for tick in sent { try publisher.send(tick) }
        // Kill the recorder (no shutdown, no final flush) once the last tick is in the file.
        let lastPayload: [UInt8] = try sent[sent.count - 1].serializedBytes()
        let waitUntil = ContinuousClock.now + .seconds(20)
        var file: [String: Any] = [:]
        while ContinuousClock.now < waitUntil {
            let read = try await Python.run(["-m", "fulcrum_tools.backtest.read_recording", path])
            try #require(read.status == 0, "read_recording failed: \(read.error)")
            file = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
            let last = ((file["records"] as? [[String: Any]])?.last?["frames"] as? [String])?.last
            if last.flatMap({ Data(base64Encoded: $0) }) == Data(lastPayload) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        let metadata = try #require(file["metadata"] as? [String: Any])
        #expect(metadata["source"] as? String == "fulcrum record")
        #expect((metadata["feeds"] as? [[String: Any]])?.first?["name"] as? String == "bus")
        let records = try #require(file["records"] as? [[String: Any]])
        let ticks = try records.map { record -> WireTick in
            let frames = try #require(record["frames"] as? [String])
            #expect(record["frameCount"] as? Int == 2 && record["feed"] as? Int == 0)
            return try WireTick(serializedBytes: [UInt8](try #require(Data(base64Encoded: frames[1]))))
        }
        #expect(Array(ticks.suffix(sent.count)) == sent, "the last records are the ticks sent, in order")
        #expect(ticks.dropLast(sent.count).allSatisfy { $0.symbol == "WARM" })
        let times = records.compactMap { $0["receiptTimeNs"] as? Int }
        #expect(times.count == records.count && zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })

        let replay = try await FulcrumCommandLine.run(["backtest", path, "--out", directory.path("out")])
        try #require(replay.status == 0, "backtest of the recording failed: \(replay.error)")
        let input = try #require(try directory.json("out/report.json")["input"] as? [String: Any])
        #expect(input["messages"] as? Int == records.count)
        #expect(input["kind"] as? String == "recording")
    }

    @Test("A recording that ends after --duration exits 0 with every message it received in the file")
    func duration() async throws {
        let directory = try TemporaryDirectory(prefix: "fulcrum-record")
        defer { directory.remove() }
        let port = try FreePorts.take(1)[0]
        let path = directory.path("timed.frec")
        let publisher = Task {
            let publisher = try TickPublisher(connect: "tcp://127.0.0.1:\(port)")
            let start = (Int64(Date().timeIntervalSince1970) - 60) * 1_000_000_000
            var index: Int64 = 0
            while !Task.isCancelled {
                try publisher.send(TickPublisher.tick("AAA", price: 100, at: start + index))
                index += 1
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { publisher.cancel() }
        let started = ContinuousClock.now
        let result = try await FulcrumCommandLine.run(
            ["record", "--feed", "bus=tcp://127.0.0.1:\(port)", "--bind", "--out", path, "--duration", "2"],
            timeout: .seconds(30))
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "record exited \(result.status): \(result.error)")
        #expect(!result.error.contains("ServiceGroupError"), "\(result.error)")
        #expect(elapsed >= .seconds(2) && elapsed < .seconds(20), "\(elapsed)")
        let read = try await Python.run(["-m", "fulcrum_tools.backtest.read_recording", path])
        try #require(read.status == 0, "read_recording failed: \(read.error)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
        #expect(((file["records"] as? [[String: Any]]) ?? []).count > 10)
    }
}
