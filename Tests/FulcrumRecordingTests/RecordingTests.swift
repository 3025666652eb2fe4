import Foundation
import FulcrumTestSupport
import MarketData
import Testing
@testable import FulcrumRecording

@Suite("Recording format")
struct RecordingTests {
    struct Sample: Equatable {
        var receiptTime: Int64
        var feed: Int
        var frameCount: Int
        var first: [UInt8]
        var second: [UInt8]
    }

    static let metadata = RecordingMetadata(
        source: "test", epoch: 42, startedAtNs: 1_700_000_000_000_000_000,
        feeds: [FeedConfiguration(name: "a", endpoint: "tcp://127.0.0.1:5555"),
                FeedConfiguration(name: "b", endpoint: "ipc:///tmp/b", encoding: .cryptofeed)])

    static func samples(count: Int, seed: UInt64 = 1) -> [Sample] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let frames = index % 3 == 0 ? 1 : 2
            return Sample(receiptTime: 1_700_000_000_000_000_000 + Int64(index) * 1_000,
                          feed: index % 2, frameCount: frames,
                          first: random.bytes(1 + Int(random.next() % 40)),
                          second: frames == 2 ? random.bytes(Int(random.next() % 90)) : [])
        }
    }

    static func write(_ samples: [Sample], to path: String, configuration: RecordingConfiguration = .init()) throws {
        let writer = try RecordingWriter(path: path, metadata: metadata, configuration: configuration)
        for sample in samples {
            sample.first.withUnsafeBytes { first in
                sample.second.withUnsafeBytes { second in
                    writer.append(feed: sample.feed, frameCount: sample.frameCount, first, second,
                                  receiptTime: sample.receiptTime)
                }
            }
        }
        try writer.close()
    }

    static func read(_ bytes: [UInt8]) throws -> (samples: [Sample], tail: RecordingTail?) {
        try bytes.withUnsafeBytes { buffer in
            var parser = try RecordingParser(buffer)
            var samples: [Sample] = []
            while let message = parser.next() {
                samples.append(Sample(receiptTime: message.receiptTime, feed: message.feed,
                                      frameCount: message.frameCount, first: Array(message.first),
                                      second: Array(message.second)))
            }
            return (samples, parser.tail)
        }
    }

    @Test("What the writer appends, the reader returns: frames, receipt times, feeds, frame counts, metadata")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("session.frec")
        let samples = Self.samples(count: 500)
        var settings = RecordingConfiguration()
        settings.bufferBytes = 4_096
        try Self.write(samples, to: path, configuration: settings)
        let reader = try RecordingReader(path: path)
        #expect(reader.metadata == Self.metadata)
        #expect(reader.version == 1)
        let read = try reader.withRecords { parser -> [Sample] in
            var result: [Sample] = []
            while let message = parser.next() {
                result.append(Sample(receiptTime: message.receiptTime, feed: message.feed,
                                     frameCount: message.frameCount, first: Array(message.first),
                                     second: Array(message.second)))
            }
            #expect(parser.tail == nil)
            #expect(parser.reachedCleanEnd)
            return result
        }
        #expect(read == samples)
        // The layout is the documented one: header, then 24 + n₁ + n₂ + 4 bytes per record.
        let metadataSize = try Self.metadata.encoded().count
        let expectedSize = 16 + metadataSize + 4 + samples.reduce(0) { $0 + 28 + $1.first.count + $1.second.count }
        #expect(reader.fileSize == expectedSize)
    }

    @Test("A record larger than the buffer is written in pieces and reads back whole")
    func oversizedRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("big.frec")
        var random = SplitMix64(seed: 3)
        var samples = Self.samples(count: 3)
        samples.insert(Sample(receiptTime: 5, feed: 1, frameCount: 2, first: random.bytes(10),
                              second: random.bytes(20_000)), at: 1)
        var settings = RecordingConfiguration()
        settings.bufferBytes = 4_096
        try Self.write(samples, to: path, configuration: settings)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let (read, tail) = try Self.read(bytes)
        #expect(read == samples)
        #expect(tail == nil)
    }

    @Test("Cut anywhere inside the last record, the file reads as the records before it with a torn tail")
    func tornLastRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("torn.frec")
        let samples = Self.samples(count: 20)
        try Self.write(samples, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let last = samples[samples.count - 1]
        let lastSize = 28 + last.first.count + last.second.count
        let lastStart = bytes.count - lastSize
        for cut in lastStart..<bytes.count {
            let (read, tail) = try Self.read(Array(bytes[..<cut]))
            #expect(read == Array(samples.dropLast()), "cut at \(cut)")
            if cut == lastStart {
                #expect(tail == nil)
            } else {
                #expect(tail?.problem == .truncated && tail?.isTornTail == true && tail?.offset == lastStart,
                        "cut at \(cut): \(String(describing: tail))")
                #expect(tail?.skippedBytes == cut - lastStart)
            }
        }
    }

    @Test("A flipped bit fails the checksum: in the last record it is a torn tail, earlier it is damage")
    func checksum() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("flip.frec")
        let samples = Self.samples(count: 10)
        try Self.write(samples, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let sizes = samples.map { 28 + $0.first.count + $0.second.count }
        let recordsStart = bytes.count - sizes.reduce(0, +)

        var lastFlipped = bytes
        lastFlipped[bytes.count - 6] ^= 0x10
        let (readLast, tailLast) = try Self.read(lastFlipped)
        #expect(readLast == Array(samples.dropLast()))
        #expect(tailLast?.problem == .checksumMismatch && tailLast?.isTornTail == true)

        let middleOffset = recordsStart + sizes[0..<4].reduce(0, +)
        var middleFlipped = bytes
        middleFlipped[middleOffset + 8] ^= 0x01  // inside the receipt time of record 4
        let (readMiddle, tailMiddle) = try Self.read(middleFlipped)
        #expect(readMiddle == Array(samples.prefix(4)))
        #expect(tailMiddle?.problem == .checksumMismatch && tailMiddle?.isTornTail == false)
        #expect(tailMiddle?.offset == middleOffset)
    }

    @Test("Zero-filled blocks after the last good record are a torn tail; an impossible length is flagged")
    func zeroTail() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("zeros.frec")
        let samples = Self.samples(count: 5)
        try Self.write(samples, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let (read, tail) = try Self.read(bytes + [UInt8](repeating: 0, count: 4_096))
        #expect(read == samples)
        #expect(tail?.problem == .invalidLength && tail?.isTornTail == true && tail?.skippedBytes == 4_096)
        let (_, garbage) = try Self.read(bytes + [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3])
        #expect(garbage?.problem == .invalidLength && garbage?.isTornTail == false)
    }

    @Test("A damaged header or a foreign file is refused")
    func header() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("header.frec")
        try Self.write(Self.samples(count: 2), to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for offset in [0, 8, 12, 20] {
            var damaged = bytes
            damaged[offset] ^= 0x04
            #expect(throws: RecordingError.self) { _ = try Self.read(damaged) }
        }
        #expect(throws: RecordingError.self) { _ = try Self.read(Array("timestamp,symbol,price\n".utf8)) }
        #expect(throws: RecordingError.self) { _ = try Self.read([]) }
    }

    @Test("An existing file is not overwritten unless asked")
    func overwrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("exists.frec")
        try Self.write(Self.samples(count: 3), to: path)
        let error = #expect(throws: RecordingError.self) { try Self.write(Self.samples(count: 1), to: path) }
        #expect(error?.code == .io)
        var settings = RecordingConfiguration()
        settings.overwrite = true
        try Self.write(Self.samples(count: 1, seed: 9), to: path, configuration: settings)
        let (read, _) = try Self.read(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(read == Self.samples(count: 1, seed: 9))
    }

    @Test("Flush policy: `always` writes each record through, buffered records reach the file on the interval")
    func flushPolicy() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func size(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
        }
        let headerSize = 16 + (try Self.metadata.encoded().count) + 4
        let record: [UInt8] = Array(repeating: 7, count: 10)
        func append(_ writer: RecordingWriter, at time: Int64) {
            let none = UnsafeRawBufferPointer(start: nil, count: 0)
            record.withUnsafeBytes { writer.append(feed: 0, frameCount: 1, $0, none, receiptTime: time) }
        }

        var always = RecordingConfiguration()
        always.fsync = .always
        let throughPath = directory.path("always.frec")
        let through = try RecordingWriter(path: throughPath, metadata: Self.metadata, configuration: always)
        append(through, at: 0)
        #expect(try size(throughPath) == headerSize + 38)
        append(through, at: 1)
        #expect(try size(throughPath) == headerSize + 76)
        try through.close()

        var interval = RecordingConfiguration()
        interval.flushInterval = .nanoseconds(100)
        let bufferedPath = directory.path("interval.frec")
        let buffered = try RecordingWriter(path: bufferedPath, metadata: Self.metadata, configuration: interval)
        append(buffered, at: 1_000)
        append(buffered, at: 1_050)
        #expect(try size(bufferedPath) == headerSize)
        buffered.poll(now: 1_099)
        #expect(try size(bufferedPath) == headerSize)
        buffered.poll(now: 1_100)
        #expect(try size(bufferedPath) == headerSize + 76)
        append(buffered, at: 1_150)
        try buffered.close()
        #expect(try size(bufferedPath) == headerSize + 114)
        #expect(buffered.recordCount == 3)
    }

    @Test("Metadata written by other versions decodes: missing feed keys take defaults, unknown keys are ignored")
    func metadataCompatibility() throws {
        let json = #"{"source":"fulcrum run","epoch":7,"startedAtNs":1,"extra":true,"#
            + #""feeds":[{"name":"x","endpoint":"tcp://h:1","curve":{"serverKey":"k"}}]}"#
        let metadata = try Array(json.utf8).withUnsafeBytes { try RecordingMetadata.decode($0) }
        #expect(metadata.epoch == 7 && metadata.feeds.count == 1)
        let feed = metadata.feedConfigurations[0]
        #expect(feed.name == "x" && feed.endpoint == "tcp://h:1")
        let defaults = FeedConfiguration()
        #expect(feed.encoding == defaults.encoding && feed.maxMessageSize == defaults.maxMessageSize)
    }
}
