import Checksum
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends received messages to a recording file (format: ``RecordingFormat``).
///
/// Owned by the one thread that receives the messages. ``append(feed:frameCount:_:_:receiptTime:)`` copies the
/// record into a preallocated buffer and computes its checksum there; the buffer goes to the operating system
/// when full or `flushIntervalNs` after the last hand-over, always on a record boundary, and is synced as
/// `fsync` says. Nothing is allocated per record.
///
/// I/O errors do not throw from `append`: the writer stops writing, keeps the first error for
/// ``takeFailure()`` and ``close()``, and the file stays a valid recording whose tail, at worst, is one torn
/// record (skipped on read). A recorder never takes down the service it records.
public final class RecordingWriter {
    /// The file being written.
    public let path: String
    /// The settings in force.
    public let configuration: RecordingConfiguration
    /// Records appended (including those still buffered).
    public private(set) var recordCount: UInt64 = 0
    /// Bytes handed to the operating system, header included.
    public private(set) var bytesWritten: UInt64 = 0

    private var descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var used = 0
    private var lastFlushNs: Int64?
    private var lastSyncNs: Int64?
    private var unsynced = false
    private var failure: RecordingError?
    private var failureTaken = false

    /// Creates `path` (or replaces it with `configuration.overwrite`), writes the header and syncs it.
    ///
    /// Throws a `ConfigurationError` for an invalid `configuration`, or `RecordingError.io` if the file exists
    /// without `overwrite`, or cannot be created or written.
    public init(path: String, metadata: RecordingMetadata, configuration: RecordingConfiguration) throws {
        try configuration.validate()
        self.path = path
        self.configuration = configuration
        capacity = configuration.bufferBytes
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (configuration.overwrite ? O_TRUNC : O_EXCL)
        descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "the file exists (set overwrite to replace it)"
                : String(cString: strerror(errno))
            throw RecordingError(code: .io, message: "cannot create recording \(path): \(reason)",
                                   context: ["path": path])
        }
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        let header = RecordingFormat.header(metadata: try metadata.encoded())
        do {
            try header.withUnsafeBytes { try writeAll($0) }
            if configuration.fsync != .never { try sync() }
        } catch {
            _ = POSIX.close(descriptor)
            descriptor = -1
            throw error
        }
    }

    deinit {
        try? close()
        buffer.deallocate()
    }

    /// Appends one message. `receiptTime` (ns) also serves as the clock for the flush and sync intervals.
    public func append(feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer,
                       _ second: UnsafeRawBufferPointer, receiptTime: Int64) {
        guard descriptor >= 0, failure == nil else { return }
        let secondCount = frameCount >= 2 ? second.count : 0
        let length = RecordingFormat.recordPrefixSize - 4 + first.count + secondCount
        let total = 4 + length + RecordingFormat.checksumSize
        if used + total > capacity {
            flushBuffer()
            guard failure == nil else { return }
        }
        if total > capacity {
            appendUnbuffered(feed: feed, frameCount: frameCount, first, second, secondCount: secondCount,
                             receiptTime: receiptTime)
        } else {
            let record = buffer + used
            Self.storePrefix(record, length: length, receiptTime: receiptTime, feed: feed, frameCount: frameCount,
                             firstCount: first.count, secondCount: secondCount)
            if let source = first.baseAddress, first.count > 0 {
                (record + RecordingFormat.recordPrefixSize).copyMemory(from: source, byteCount: first.count)
            }
            if let source = second.baseAddress, secondCount > 0 {
                (record + RecordingFormat.recordPrefixSize + first.count).copyMemory(from: source,
                                                                                    byteCount: secondCount)
            }
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(start: record, count: 4 + length))
            RecordingFormat.store(checksum, at: 4 + length, in: record)
            used += total
        }
        recordCount += 1
        if configuration.fsync == .always {
            flushBuffer()
            syncRecordingFailure()
        } else {
            poll(now: receiptTime)
        }
    }

    /// Hands the buffer over and syncs if their intervals have passed at `now` (ns); call when idle.
    public func poll(now: Int64) {
        guard descriptor >= 0, failure == nil else { return }
        let last = lastFlushNs ?? now
        if lastFlushNs == nil { lastFlushNs = now }
        if configuration.flushInterval > .zero, used > 0, now - last >= configuration.$flushInterval {
            flushBuffer()
            lastFlushNs = now
        }
        if configuration.fsync == .interval, unsynced {
            let lastSync = lastSyncNs ?? now
            if lastSyncNs == nil { lastSyncNs = now }
            if now - lastSync >= configuration.$fsyncInterval {
                syncRecordingFailure()
                lastSyncNs = now
            }
        }
    }

    /// Writes everything buffered and syncs (unless the policy is `.never`); throws the first I/O error.
    public func flush() throws {
        guard descriptor >= 0 else { return }
        flushBuffer()
        if configuration.fsync != .never, unsynced { syncRecordingFailure() }
        if let failure { throw failure }
    }

    /// Flushes, syncs and closes the file; throws the first I/O error met since opening. Idempotent.
    public func close() throws {
        guard descriptor >= 0 else {
            if let failure, !failureTaken { failureTaken = true; throw failure }
            return
        }
        defer {
            _ = POSIX.close(descriptor)
            descriptor = -1
        }
        try flush()
    }

    /// The first I/O error, once: recording stopped when it happened.
    public func takeFailure() -> RecordingError? {
        guard let failure, !failureTaken else { return nil }
        failureTaken = true
        return failure
    }

    // MARK: - I/O

    static func storePrefix(_ record: UnsafeMutableRawPointer, length: Int, receiptTime: Int64, feed: Int,
                            frameCount: Int, firstCount: Int, secondCount: Int) {
        RecordingFormat.store(UInt32(truncatingIfNeeded: length), at: 0, in: record)
        RecordingFormat.store(receiptTime, at: 4, in: record)
        RecordingFormat.store(UInt16(clamping: feed), at: 12, in: record)
        RecordingFormat.store(UInt16(clamping: frameCount), at: 14, in: record)
        RecordingFormat.store(UInt32(truncatingIfNeeded: firstCount), at: 16, in: record)
        RecordingFormat.store(UInt32(truncatingIfNeeded: secondCount), at: 20, in: record)
    }

    /// A record larger than the buffer: written in pieces straight to the file (the buffer is empty here).
    private func appendUnbuffered(feed: Int, frameCount: Int, _ first: UnsafeRawBufferPointer,
                                  _ second: UnsafeRawBufferPointer, secondCount: Int, receiptTime: Int64) {
        let length = RecordingFormat.recordPrefixSize - 4 + first.count + secondCount
        Self.storePrefix(buffer, length: length, receiptTime: receiptTime, feed: feed, frameCount: frameCount,
                         firstCount: first.count, secondCount: secondCount)
        let prefix = UnsafeRawBufferPointer(start: buffer, count: RecordingFormat.recordPrefixSize)
        let secondPart = UnsafeRawBufferPointer(rebasing: second[0..<secondCount])
        var checksum = CRC32C.checksum(prefix)
        checksum = CRC32C.checksum(first, continuing: checksum)
        checksum = CRC32C.checksum(secondPart, continuing: checksum)
        RecordingFormat.store(checksum, at: RecordingFormat.recordPrefixSize, in: buffer)
        let trailer = UnsafeRawBufferPointer(start: buffer + RecordingFormat.recordPrefixSize,
                                             count: RecordingFormat.checksumSize)
        do {
            try writeAll(prefix)
            try writeAll(first)
            try writeAll(secondPart)
            try writeAll(trailer)
        } catch {
            record(error)
        }
    }

    private func flushBuffer() {
        guard used > 0, failure == nil else { return }
        do {
            try writeAll(UnsafeRawBufferPointer(start: buffer, count: used))
        } catch {
            record(error)
        }
        used = 0
    }

    private func syncRecordingFailure() {
        guard failure == nil else { return }
        do { try sync() } catch { record(error) }
    }

    private func sync() throws {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw MappedFile.failure("cannot sync", path: path) }
        unsynced = false
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = POSIX.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw MappedFile.failure("cannot write", path: path)
            }
            offset += written
            bytesWritten += UInt64(written)
            unsynced = true
        }
    }

    private func record(_ error: Error) {
        if failure == nil {
            failure = error as? RecordingError
                ?? RecordingError(code: .io, message: "\(error)", context: ["path": path])
        }
    }
}
