import Checksum
import Foundation
import FulcrumEngine
import GRDB

/// The checkpoint database: one SQLite file (WAL journal, `synchronous = FULL`) holding the latest checkpoint.
///
/// Schema version 1 (`PRAGMA user_version = 1`, `PRAGMA application_id = 0x46554C43`, "FULC"): one table
/// `checkpoint` with at most one row (`id = 1`): the metadata columns of ``CheckpointMetadata`` and the payload
/// BLOB with its length and CRC-32C. A write replaces the row in one transaction, so a reader — or a process
/// killed at any instant — sees either the previous checkpoint or the new one, never a mix. Opening checks the
/// application id, the schema version and the file's integrity (`PRAGMA quick_check`); loading checks the
/// payload's length, checksum and format. Any mismatch is a ``CheckpointError`` naming the file.
public final class CheckpointStore: Sendable {
    /// The schema this build reads and writes.
    public static let schemaVersion = 1
    /// `PRAGMA application_id` of a Fulcrum checkpoint ("FULC").
    public static let applicationID: Int32 = 0x4655_4C43
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (or creates) the database at `path` and checks that it is a sound Fulcrum checkpoint database of
    /// this schema version.
    public init(path: String) throws(CheckpointError) {
        self.path = path
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
        try prepareSchema()
    }

    private func prepareSchema() throws(CheckpointError) {
        let path = self.path
        do {
            try queue.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if version == 0, application == 0, tables.isEmpty {
                    try db.execute(sql: """
                        CREATE TABLE checkpoint (
                            id INTEGER PRIMARY KEY CHECK (id = 1),
                            payload_format INTEGER NOT NULL,
                            written_at_ns INTEGER NOT NULL,
                            epoch INTEGER NOT NULL,
                            boundary_ns INTEGER NOT NULL,
                            through_exchange_time_ns INTEGER NOT NULL,
                            lateness_ns INTEGER NOT NULL,
                            grid_interval_ns INTEGER NOT NULL,
                            steps_run INTEGER NOT NULL,
                            asset_count INTEGER NOT NULL,
                            model_configuration_hash INTEGER NOT NULL,
                            payload_size INTEGER NOT NULL,
                            payload_crc32c INTEGER NOT NULL,
                            payload BLOB NOT NULL
                        );
                        PRAGMA application_id = \(Self.applicationID);
                        PRAGMA user_version = \(Self.schemaVersion);
                        """)
                    return
                }
                guard application == Self.applicationID else {
                    throw CheckpointError(code: .incompatible,
                                          message: "not a Fulcrum checkpoint database (application_id \(application))",
                                          path: path)
                }
                guard version == Self.schemaVersion else {
                    throw CheckpointError(code: .incompatible,
                                          message: "schema version \(version); this build reads version "
                                              + "\(Self.schemaVersion)",
                                          path: path)
                }
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw CheckpointError(code: .corrupt,
                                          message: "integrity check failed: \(check.prefix(3).joined(separator: "; "))",
                                          path: path)
                }
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw Self.classify(error, path: path, doing: "checking")
        }
    }

    /// The stored checkpoint, its payload verified against the stored length and CRC-32C; `nil` when none has
    /// been written yet.
    public func load() throws(CheckpointError) -> (metadata: CheckpointMetadata, payload: [UInt8])? {
        let path = self.path
        let row: Row?
        do {
            row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM checkpoint WHERE id = 1") }
        } catch {
            throw Self.classify(error, path: path, doing: "reading")
        }
        guard let row else { return nil }
        let payload: [UInt8] = (row["payload"] as Data?).map { Array($0) } ?? []
        let metadata = CheckpointMetadata(
            schemaVersion: Self.schemaVersion, payloadFormat: row["payload_format"], writtenAt: row["written_at_ns"],
            epoch: UInt64(bitPattern: row["epoch"]), boundary: row["boundary_ns"],
            throughExchangeTime: row["through_exchange_time_ns"], lateness: row["lateness_ns"],
            gridInterval: row["grid_interval_ns"], stepsRun: UInt64(bitPattern: row["steps_run"]),
            assetCount: row["asset_count"], modelConfigurationHash: UInt64(bitPattern: row["model_configuration_hash"]),
            payloadSize: row["payload_size"],
            payloadChecksum: UInt32(truncatingIfNeeded: row["payload_crc32c"] as Int64))
        guard metadata.payloadFormat == RiskEngine.checkpointPayloadFormat else {
            throw CheckpointError(code: .incompatible,
                                  message: "payload format \(metadata.payloadFormat); this build reads format "
                                      + "\(RiskEngine.checkpointPayloadFormat)",
                                  path: path)
        }
        guard payload.count == metadata.payloadSize else {
            throw CheckpointError(code: .corrupt,
                                  message: "payload has \(payload.count) bytes, recorded \(metadata.payloadSize)",
                                  path: path)
        }
        let checksum = payload.withUnsafeBytes { CRC32C.checksum($0) }
        guard checksum == metadata.payloadChecksum else {
            throw CheckpointError(code: .corrupt,
                                  message: "payload checksum \(String(checksum, radix: 16)) does not match the "
                                      + "recorded \(String(metadata.payloadChecksum, radix: 16))",
                                  path: path)
        }
        return (metadata, payload)
    }

    /// Replaces the stored checkpoint in one transaction, then folds the write-ahead log back into the file.
    public func save(_ metadata: CheckpointMetadata, payload: [UInt8]) throws(CheckpointError) {
        let path = self.path
        do {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO checkpoint (id, payload_format, written_at_ns, epoch, boundary_ns,
                            through_exchange_time_ns, lateness_ns, grid_interval_ns, steps_run, asset_count,
                            model_configuration_hash, payload_size, payload_crc32c, payload)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        metadata.payloadFormat, metadata.writtenAt, Int64(bitPattern: metadata.epoch),
                        metadata.boundary, metadata.throughExchangeTime, metadata.lateness, metadata.gridInterval,
                        Int64(bitPattern: metadata.stepsRun), metadata.assetCount,
                        Int64(bitPattern: metadata.modelConfigurationHash), metadata.payloadSize,
                        Int64(metadata.payloadChecksum), Data(payload),
                    ])
            }
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

    static func classify(_ error: any Error, path: String, doing: String) -> CheckpointError {
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
