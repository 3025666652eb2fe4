import Foundation
import ZeroMQ

/// `fulcrum-bench load`: publishes the synthetic market to a system under test that binds a SUB socket.
///
/// It connects an XPUB socket (unlimited send high-water mark, so nothing is dropped at the sender) and waits
/// for the subscriber's subscription, so that no message is lost to the PUB/SUB join. It then sends
/// `warmup-seconds` event seconds of ticks (symbols interned, estimators past warm-up), pauses 500 ms, and sends
/// the measured ticks: as fast as possible (`--rate 0`) or paced at `--rate` ticks per second. Every message is
/// encoded before the first send. For each grid boundary of the measured part it records the wall time at which
/// the tick closing it was sent (the side table: pairs of little-endian Int64 `boundary, sendTime`), and it
/// writes a JSON summary with the counts and the final boundary.
struct LoadGenerator {
    let endpoint: String
    let rate: Double
    let summaryPath: String
    let sideTablePath: String
    var stream: TickStream
    let warmupTicks: Int
    let measuredTicks: Int

    init(options: BenchArguments) throws(BenchError) {
        endpoint = try options.string("endpoint")
        rate = try options.double("rate", default: 0)
        summaryPath = try options.string("summary")
        sideTablePath = try options.string("side-table")
        guard let encoding = TickStream.Encoding(rawValue: try options.string("encoding", default: "protobuf")) else {
            throw BenchError("--encoding: protobuf, cryptofeed, protobuf-book or cryptofeed-book")
        }
        let symbols = try options.integer("symbols", default: 100)
        let perSecond = try options.integer("ticks-per-event-second", default: 5_000)
        guard symbols > 0, perSecond > 0, 1_000_000_000 % perSecond == 0 else {
            throw BenchError("--symbols > 0 and --ticks-per-event-second dividing 1e9 are required")
        }
        guard !encoding.isBook || perSecond > symbols else {
            throw BenchError("the book shapes need --ticks-per-event-second above --symbols (trades come first)")
        }
        let ticks = try options.integer("ticks", default: 1_000_000)
        let seconds = max(1, (ticks + perSecond - 1) / perSecond)
        warmupTicks = try options.integer("warmup-seconds", default: 3) * perSecond
        // Whole event seconds, plus the tick that closes the last one.
        measuredTicks = seconds * perSecond + 1
        // Event time starts an hour before now; the system under test is configured to accept the range.
        let base = (WallClock.now / 1_000_000_000 - 3_600) * 1_000_000_000
        stream = TickStream(encoding: encoding, symbols: symbols, ticksPerEventSecond: perSecond, base: base)
    }

    mutating func run() throws {
        let total = warmupTicks + measuredTicks
        var arena = MessageArena(reservingMessages: total, bytesPerMessage: stream.encoding == .protobuf ? 80 : 240)
        for index in 0..<warmupTicks { stream.append(index, to: &arena) }
        _ = stream.takeBookLevels()
        for index in warmupTicks..<total { stream.append(index, to: &arena) }
        // Book shapes: the book-level updates (two per delta) of the measured part.
        let bookLevels = stream.takeBookLevels()

        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .xpub)
        try socket.setSendHighWaterMark(0)
        try socket.setLinger(milliseconds: -1)
        try socket.setReceiveTimeout(milliseconds: 30_000)
        try socket.connect(endpoint)
        let subscription = Message()
        guard try socket.receive(into: subscription) else { throw BenchError("no subscriber on \(endpoint)") }

        for index in 0..<warmupTicks { try send(index, arena, socket) }
        WallClock.sleep(nanoseconds: 500_000_000)

        var sideTable: [Int64] = []
        sideTable.reserveCapacity(2 * (measuredTicks / stream.ticksPerEventSecond + 2))
        let interval = rate > 0 ? 1e9 / rate : 0
        let start = WallClock.now
        for index in warmupTicks..<total {
            let offset = index - warmupTicks
            if interval > 0, offset & 31 == 0 {
                let due = start + Int64(Double(offset) * interval)
                let ahead = due - WallClock.now
                if ahead > 20_000 { WallClock.sleep(nanoseconds: ahead) }
            }
            if let boundary = stream.closedBoundary(by: index) {
                sideTable.append(boundary)
                sideTable.append(WallClock.now)
            }
            try send(index, arena, socket)
        }
        let end = WallClock.now

        let data = sideTable.withUnsafeBytes { Data($0) }
        try data.write(to: URL(fileURLWithPath: sideTablePath + ".tmp"))
        try FileManager.default.moveItem(atPath: sideTablePath + ".tmp", toPath: sideTablePath)
        let summary = """
            {"sent": \(total), "warmup": \(warmupTicks), "measured": \(measuredTicks), \
            "firstSendNs": \(start), "lastSendNs": \(end), \
            "finalBoundary": \(stream.exchangeTime(of: total - 1)), "sendSeconds": \(Double(end - start) / 1e9), \
            "bookLevels": \(bookLevels)}
            """
        try Data((summary + "\n").utf8).write(to: URL(fileURLWithPath: summaryPath + ".tmp"))
        try FileManager.default.moveItem(atPath: summaryPath + ".tmp", toPath: summaryPath)
        print(summary)
        // Closing with an infinite linger and dropping the context flush every queued message first.
        socket.close()
    }

    @inline(__always)
    private func send(_ index: Int, _ arena: MessageArena, _ socket: Socket) throws {
        try arena.withFrames(of: index) { frame, more in try socket.send(frame, more: more) }
    }
}
