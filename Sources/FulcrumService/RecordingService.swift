import DedicatedThreads
import Foundation
import FulcrumProtocol
import FulcrumRecording
import Logging
import MarketData
import ServiceLifecycle
import ZeroMQ

/// `fulcrum record`: subscribes to the configured feeds with real SUB sockets, as the engine does, and appends
/// every message with its receipt time to a recording, on its own thread.
///
/// Stops on graceful shutdown (SIGTERM/SIGINT) or after `duration`, then flushes, syncs and closes the file.
public struct RecordingService: Service {
    /// The feeds to record, in the order their indices are stored.
    public let feeds: [FeedConfiguration]
    /// The file and its durability settings (`path` must be set).
    public let recording: RecordingConfiguration
    /// Stop on its own after this long; nil records until shut down.
    public let duration: Duration?
    let context: ZMQContext
    let logger: Logger

    /// Creates the service; the sockets and the file open when it runs.
    public init(feeds: [FeedConfiguration], recording: RecordingConfiguration, duration: Duration? = nil,
                context: ZMQContext, logger: Logger) {
        self.feeds = feeds
        self.recording = recording
        self.duration = duration
        self.context = context
        self.logger = logger
    }

    public func run() async throws {
        try await DedicatedService.run(name: "fulcrum-recorder") { [self] stop in try record(until: stop) }
    }

    /// Records until `stop` or the duration ends; returns the number of messages written.
    @discardableResult
    func record(until stop: StopSignal) throws -> UInt64 {
        let metadata = RecordingMetadata(source: "fulcrum record", startedAtNs: WallClock.now, feeds: feeds)
        let writer = try RecordingWriter(path: recording.path, metadata: metadata, configuration: recording)
        var sockets: [Socket] = []
        defer {
            for socket in sockets { socket.close() }
            RecordingHook.close(writer, logger: logger)
        }
        for feed in feeds { sockets.append(try IngestLoop.openFeed(feed, context: context, logger: logger)) }
        let poller = try Poller(readable: sockets)
        let frames = FeedFrames()
        let deadline = duration.map { ContinuousClock.now + $0 }
        logger.info("recording started", metadata: [
            "fulcrum.recording.path": "\(recording.path)", "fulcrum.feeds": "\(feeds.count)",
        ])
        while !stop.isStopped {
            if let deadline, ContinuousClock.now >= deadline { break }
            var received = 0
            for (index, socket) in sockets.enumerated() {
                while received < 4_096, try frames.receive(from: socket) {
                    received += 1
                    writer.append(feed: index, frameCount: frames.count, frames.first.bytes, frames.secondBytes,
                                  receiptTime: WallClock.now)
                }
            }
            if received == 0 {
                RecordingHook.poll(writer, logger: logger)
                try poller.poll(timeoutMilliseconds: 50)
            }
        }
        return writer.recordCount
    }

    /// Runs the recorder until SIGTERM/SIGINT or `duration`, in its own service group.
    public static func run(feeds: [FeedConfiguration], recording: RecordingConfiguration, duration: Duration?,
                           logger: Logger) async throws {
        let context = try ZMQContext(ioThreads: 1)
        let service = RecordingService(feeds: feeds, recording: recording, duration: duration, context: context,
                                       logger: logger)
        // A recording that ends after `duration` is a success: it ends the group as a signal would.
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        try await ServiceGroup(configuration: configuration).run()
    }
}
