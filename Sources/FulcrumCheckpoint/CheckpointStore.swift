import Checksum
import Foundation
import FulcrumEngine
import GRDB

/// The checkpoint database: one SQLite file (WAL journal, `synchronous = FULL`) holding the latest checkpoint.
///
/// The schema is built and evolved by ``CheckpointSchema``'s migrations (version ``schemaVersion``, `PRAGMA
/// application_id = 0x46554C43`, "FULC"): one table `checkpoint` with at most one row, a ``CheckpointRecord``:
/// the metadata columns of ``CheckpointMetadata``, the payload BLOB with its length and CRC-32C, and a CRC-32C
/// over all the metadata columns. A write replaces the row in one transaction, so a reader — or a process killed
/// at any instant — sees either the previous checkpoint or the new one, never a mix. Opening checks the
/// application id, the schema version and the file's integrity (`PRAGMA quick_check`); loading checks the
/// metadata's checksum, then the schema and payload format, then the payload's length and checksum. Any mismatch
/// is a ``CheckpointError`` naming the file: a stored value that changed, one flipped bit included, is `.corrupt`
/// and never resumed from.
public final class CheckpointStore: Sendable {
    /// The schema this build reads and writes (``CheckpointSchema``).
    public static let schemaVersion = CheckpointSchema.version
    /// `PRAGMA application_id` of a Fulcrum checkpoint ("FULC").
    public static let applicationID: Int32 = 0x4655_4C43
    /// The database file.
    public let path: String
    /// The migrations that opening ran: all of them for a new file, none for a current one.
    let migrated: [String]
    private let queue: DatabaseQueue

    /// Opens (or creates) the database at `path`, checks that it is a sound Fulcrum checkpoint database of a
    /// schema this build reads, and migrates it to ``schemaVersion``.
    public init(path: String) throws(CheckpointError) {
        self.path = path
        try Self.inspect(path: path)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.label = "fulcrum-checkpoint"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.classify(error, path: path, doing: "opening")
        }
        migrated = try CheckpointSchema.prepare(queue, path: path)
        // A new file holds its schema in the write-ahead log until SQLite's checkpoint; folding it in now leaves a
        // database header on disk, so an empty main file never stands for a sound database.
        _ = try? queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// The SQLite file header (16 bytes) every database starts with.
    static let sqliteHeader = Array("SQLite format 3\0".utf8)

    /// Checks before SQLite touches it that `path` can be a checkpoint database: an existing file must be writable
    /// and an SQLite database, a new one must be creatable. SQLite would otherwise take an empty file (a failed copy,
    /// a full disk) for a new database and start afresh without a word, and report an unwritable place only as
    /// "unable to open database file".
    static func inspect(path: String) throws(CheckpointError) {
        func reason() -> String { String(cString: strerror(errno)) }
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT else {
                throw CheckpointError(code: .storage, message: "cannot inspect the file: \(reason())", path: path)
            }
            let directory = (path as NSString).deletingLastPathComponent
            let place = directory.isEmpty ? "." : directory
            guard access(place, W_OK | X_OK) == 0 else {
                throw CheckpointError(code: .storage, message: "cannot create it in \(place): \(reason())", path: path)
            }
            return
        }
        // S_IFMT and S_IFREG, which Swift does not import as mode_t.
        guard (status.st_mode & 0o170000) == 0o100000 else {
            throw CheckpointError(code: .storage, message: "not a regular file", path: path)
        }
        let descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else {
            throw CheckpointError(code: .storage, message: "cannot open it for writing: \(reason())", path: path)
        }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: sqliteHeader.count)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 {
            // Killed between creating the file and folding the log in: the schema is in the log, nothing is lost.
            var log = stat()
            if stat(path + "-wal", &log) == 0, log.st_size > 0 { return }
            throw CheckpointError(code: .corrupt, message: "the file is empty (0 bytes), not a checkpoint database "
                                      + "(a failed copy or a full disk?)", path: path)
        }
        guard count == sqliteHeader.count, header == sqliteHeader else {
            throw CheckpointError(code: .corrupt, message: "not an SQLite database (its first \(max(count, 0)) bytes "
                                      + "are not the SQLite header)", path: path)
        }
    }

    /// The stored checkpoint, its metadata and payload verified against the stored checksums; `nil` when none has
    /// been written yet.
    public func load() throws(CheckpointError) -> (metadata: CheckpointMetadata, payload: [UInt8])? {
        let record: CheckpointRecord?
        do {
            record = try queue.read { db in try CheckpointRecord.fetchOne(db, key: 1) }
        } catch {
            throw Self.classify(error, path: path, doing: "reading")
        }
        guard let record else { return nil }
        let payload = Array(record.payload)
        return (try verified(record, payload: payload), payload)
    }

    /// The metadata of `record`, once its checksums and versions say it can be used.
    private func verified(_ record: CheckpointRecord, payload: [UInt8]) throws(CheckpointError) -> CheckpointMetadata {
        func refused(_ code: CheckpointError.Code, _ message: String) -> CheckpointError {
            CheckpointError(code: code, message: message, path: path)
        }
        func hex(_ value: Int64) -> String { String(UInt64(bitPattern: value), radix: 16) }
        guard let recorded = record.rowChecksum else {
            throw refused(.incompatible, "checkpoint of schema version \(record.schemaVersion), without a checksum "
                              + "over its metadata; this build reads version \(Self.schemaVersion)")
        }
        let computed = Int64(record.computedRowChecksum)
        guard computed == recorded else {
            throw refused(.corrupt, "metadata checksum \(hex(computed)) does not match the recorded "
                              + "\(hex(recorded)) (row_crc32c): a stored metadata value was altered")
        }
        guard let metadata = record.metadata else {
            throw refused(.corrupt, "a stored metadata value is out of range")
        }
        guard metadata.schemaVersion == Self.schemaVersion else {
            throw refused(.incompatible, "checkpoint of schema version \(metadata.schemaVersion); this build reads "
                              + "version \(Self.schemaVersion)")
        }
        guard metadata.payloadFormat == RiskEngine.checkpointPayloadFormat else {
            throw refused(.incompatible, "payload format \(metadata.payloadFormat); this build reads format "
                              + "\(RiskEngine.checkpointPayloadFormat)")
        }
        guard payload.count == metadata.payloadSize else {
            throw refused(.corrupt, "payload has \(payload.count) bytes, recorded \(metadata.payloadSize)")
        }
        let checksum = CRC32C.checksum(payload)
        guard checksum == metadata.payloadChecksum else {
            throw refused(.corrupt, "payload checksum \(String(checksum, radix: 16)) does not match the recorded "
                              + "\(String(metadata.payloadChecksum, radix: 16))")
        }
        return metadata
    }

    /// Replaces the stored checkpoint in one transaction, then folds the write-ahead log back into the file.
    public func save(_ metadata: CheckpointMetadata, payload: [UInt8]) throws(CheckpointError) {
        let record = CheckpointRecord(metadata, payload: payload)
        do {
            try queue.write { db in try record.insert(db, onConflict: .replace) }
            // Keeps the file at about one payload: without it the log would hold a copy of every write until
            // SQLite's automatic checkpoint. Failing here loses nothing (the transaction is committed).
            _ = try? queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            throw Self.classify(error, path: path, doing: "writing")
        }
    }

    /// Moves a refused database (and its `-wal`/`-shm` companions) aside to `<path>.refused-<unix seconds>`, so a
    /// fresh start keeps the evidence; returns the new name, or `nil` when there was no file.
    public static func setAside(path: String) throws(CheckpointError) -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else { return nil }
        let target = "\(path).refused-\(Int(Date().timeIntervalSince1970))"
        do {
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path + suffix) {
                try files.moveItem(atPath: path + suffix, toPath: target + suffix)
            }
        } catch {
            throw CheckpointError(code: .storage, message: "cannot move it aside to \(target): \(error)", path: path)
        }
        return target
    }

    /// The ``CheckpointError`` of a failed database operation: `.corrupt` when SQLite finds the file damaged or the
    /// row does not decode, `.storage` otherwise.
    static func classify(_ error: any Error, path: String, doing: String) -> CheckpointError {
        if error is RowDecodingError {
            return CheckpointError(code: .corrupt, message: "\(doing) failed: \(error)", path: path)
        }
        if let database = error as? DatabaseError {
            switch database.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return CheckpointError(code: .corrupt, message: "\(doing) failed: \(database.message ?? "\(database)")",
                                       path: path)
            default:
                return CheckpointError(code: .storage,
                                       message: "\(doing) failed: \(database.message ?? "\(database)")", path: path)
            }
        }
        return CheckpointError(code: .storage, message: "\(doing) failed: \(error)", path: path)
    }
}
