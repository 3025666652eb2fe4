import FulcrumProtocol
import FulcrumRecording
import Logging

/// Live recording on the engine thread (`recording.path`): opens the ``RecordingWriter`` when the ingest loop
/// starts, lets it hand its buffer to the OS while the loop is idle, and closes it at shutdown, logging what
/// happened. The records themselves are appended in the drain loop, right after receipt and before the engine
/// sees the message, so the file holds exactly what the engine ingested, in its order.
enum RecordingHook {
    /// The writer for `configuration.recording`, or nil when recording is off.
    static func open(configuration: FulcrumConfiguration, epoch: UInt64, logger: Logger) throws -> RecordingWriter? {
        let settings = configuration.recording
        guard settings.isEnabled else { return nil }
        let path = settings.resolvedPath(epoch: epoch)
        let metadata = RecordingMetadata(source: "fulcrum run", epoch: epoch, startedAtNs: WallClock.now,
                                         feeds: configuration.ingest.feeds)
        let writer = try RecordingWriter(path: path, metadata: metadata, configuration: settings)
        logger.info("recording", metadata: [
            "fulcrum.recording.path": "\(path)", "fulcrum.recording.fsync": "\(settings.fsync.rawValue)",
        ])
        return writer
    }

    /// Flushes if due; logs (once) an I/O error that stopped the recording.
    static func poll(_ writer: RecordingWriter?, logger: Logger) {
        guard let writer else { return }
        writer.poll(now: WallClock.now)
        if let failure = writer.takeFailure() {
            logger.error("recording stopped", metadata: ["fulcrum.recording.error": "\(failure)"])
        }
    }

    /// Flushes, syncs and closes the file.
    static func close(_ writer: RecordingWriter?, logger: Logger) {
        guard let writer else { return }
        do {
            try writer.close()
            logger.info("recording closed", metadata: [
                "fulcrum.recording.path": "\(writer.path)", "fulcrum.recording.records": "\(writer.recordCount)",
                "fulcrum.recording.bytes": "\(writer.bytesWritten)",
            ])
        } catch {
            logger.error("recording incomplete", metadata: ["fulcrum.recording.error": "\(error)"])
        }
    }
}
