import Foundation
import FulcrumService
import FulcrumTestSupport
import GRDB
import Testing
@testable import FulcrumCheckpoint
@testable import FulcrumEngine

@Suite("Checkpoint database: migrations, checksums over the metadata, files of other schemas")
struct CheckpointStoreTests {
    /// Runs `body` with the path of a database in a new directory, removed afterwards.
    static func withDatabase(_ body: (String) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "ckpt")
        defer { directory.remove() }
        try body(directory.path("state.sqlite"))
    }

    /// A checkpoint of 40 steps of ``CheckpointTests/ticks(steps:lateListing:)``, with its configuration.
    static func checkpoint() throws -> (configuration: FulcrumConfiguration, metadata: CheckpointMetadata,
                                        payload: [UInt8]) {
        let configuration = CheckpointTests.configuration()
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 5)
        let ticks = try CheckpointTests.ticks(steps: 40)
        _ = CheckpointTests.run(&engine, ticks[...])
        let (metadata, payload) = try #require(engine.snapshot(throughExchangeTime: ticks.last!.time))
            .encoded(writtenAt: 1_700_000_123_000_000_000)
        return (configuration, metadata, payload)
    }

    @Test("A new file runs every migration once; opening it again runs none and keeps the checkpoint")
    func migrations() throws {
        try Self.withDatabase { path in
            let (_, metadata, payload) = try Self.checkpoint()
            let store = try CheckpointStore(path: path)
            #expect(store.migrated == ["v1 checkpoint table", "v2 row checksum"])
            #expect(CheckpointStore.schemaVersion == 2)
            try store.save(metadata, payload: payload)

            let reopened = try CheckpointStore(path: path)
            #expect(reopened.migrated.isEmpty)
            #expect(try reopened.load()?.metadata == metadata)
            try DatabaseQueue(path: path).read { db throws in
                #expect(try CheckpointSchema.migrator.hasCompletedMigrations(db))
                #expect(try CheckpointSchema.migrator.appliedMigrations(db) == store.migrated)
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == CheckpointStore.schemaVersion)
                #expect(try Int32.fetchOne(db, sql: "PRAGMA application_id") == CheckpointStore.applicationID)
            }
        }
    }

    @Test("One flipped bit in any stored metadata column is refused as corrupt, never resumed from")
    func flippedMetadata() throws {
        try Self.withDatabase { path in
            let (configuration, metadata, payload) = try Self.checkpoint()
            var settings = configuration.checkpoint
            settings.enabled = true
            settings.path = path
            let store = try CheckpointStore(path: path)
            // Every column of the table as it is on disk, so a column added later is flipped too.
            let columns = try DatabaseQueue(path: path).read { db in
                try db.columns(in: CheckpointRecord.databaseTableName).map(\.name)
            }.filter { $0 != "id" && $0 != "payload" }
            #expect(columns.count == 14 && columns.contains("steps_run") && columns.contains("row_crc32c"),
                    "\(columns)")
            for column in columns {
                for bit in [0, 5, 31, 32, 63] {
                    try store.save(metadata, payload: payload)
                    try DatabaseQueue(path: path).write { db in
                        let stored = try #require(
                            try CheckpointRecord.select(Column(column), as: Int64.self).fetchOne(db))
                        try CheckpointRecord.updateAll(db, Column(column).set(to: stored ^ (1 << Int64(bit))))
                    }
                    let error = #expect(throws: CheckpointError.self, "bit \(bit) of \(column) flipped: loaded") {
                        _ = try store.load()
                    }
                    #expect(error?.code == .corrupt && error?.message.contains("checksum") == true,
                            "bit \(bit) of \(column): \(String(describing: error))")
                    #expect(throws: CheckpointError.self, "bit \(bit) of \(column) flipped: resumed") {
                        _ = try CheckpointResume.prepare(settings: settings, engine: configuration.engine, epoch: 6,
                                                         fresh: false, logger: LogCapture().logger())
                    }
                }
            }
            // Written back unaltered, the same checkpoint loads.
            try store.save(metadata, payload: payload)
            #expect(try store.load()?.metadata == metadata)
        }
    }

    @Test("Metadata that disagrees with its payload is refused as corrupt, naming the field",
          arguments: ["steps run", "asset count", "boundary", "grid interval", "lateness"])
    func metadataAgreesWithPayload(field: String) throws {
        try Self.withDatabase { path in
            let checkpoint = try Self.checkpoint()
            var (configuration, metadata) = (checkpoint.configuration, checkpoint.metadata)
            configuration.checkpoint.enabled = true
            configuration.checkpoint.path = path
            switch field {
            case "steps run": metadata.stepsRun += 1
            case "asset count": metadata.assetCount += 1
            case "boundary": metadata.boundary -= metadata.gridInterval
            case "grid interval": metadata.gridInterval *= 2
            default: metadata.lateness += 1
            }
            // Stored with a valid checksum: written wrong rather than damaged later.
            try CheckpointStore(path: path).save(metadata, payload: checkpoint.payload)
            let error = #expect(throws: CheckpointError.self) {
                _ = try CheckpointResume.prepare(settings: configuration.checkpoint, engine: configuration.engine,
                                                 epoch: 6, fresh: false, logger: LogCapture().logger())
            }
            #expect(error?.code == .corrupt, "\(String(describing: error))")
            #expect(error?.message.contains("disagree on the \(field)") == true, "\(String(describing: error))")
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test("A file written before migrations (schema 1) is refused as incompatible and left as it was")
    func fileBeforeMigrations() throws {
        try Self.withDatabase { path in
            let (_, metadata, payload) = try Self.checkpoint()
            try Self.writeSchemaOne(metadata, payload: payload, at: path)
            try DatabaseQueue(path: path).write { db in try db.drop(table: "grdb_migrations") }

            let error = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: path) }
            #expect(error?.code == .incompatible, "\(String(describing: error))")
            #expect(error?.message.contains("schema version 1") == true, "\(String(describing: error))")
            #expect(error?.description.contains("--fresh") == true)
            try DatabaseQueue(path: path).read { db throws in
                #expect(try !db.tableExists("grdb_migrations"))
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 1)
                #expect(try Table("checkpoint").fetchCount(db) == 1)
            }
        }
    }

    @Test("A schema 1 row carried over by the migration is refused as incompatible: nothing vouches for it")
    func rowOfSchemaOne() throws {
        try Self.withDatabase { path in
            let (_, metadata, payload) = try Self.checkpoint()
            try Self.writeSchemaOne(metadata, payload: payload, at: path)
            let store = try CheckpointStore(path: path)
            #expect(store.migrated == ["v2 row checksum"])
            let error = #expect(throws: CheckpointError.self) { _ = try store.load() }
            #expect(error?.code == .incompatible, "\(String(describing: error))")
            #expect(error?.message.contains("schema version 1") == true, "\(String(describing: error))")
            // A new checkpoint replaces it.
            try store.save(metadata, payload: payload)
            #expect(try store.load()?.metadata == metadata)
        }
    }

    @Test("Files of a newer build, of another schema version or missing a migration are refused as incompatible",
          arguments: [
              (["INSERT INTO grdb_migrations (identifier) VALUES ('v3 from the future')", "PRAGMA user_version = 3"],
               "migrated by a newer build (v3 from the future)"),
              (["PRAGMA user_version = 99"], "schema version 99"),
              (["DELETE FROM grdb_migrations WHERE identifier = 'v1 checkpoint table'"],
               "schema version 2 (migrations: v2 row checksum)"),
          ])
    func otherSchemas(alterations: [String], expected: String) throws {
        try Self.withDatabase { path in
            _ = try CheckpointStore(path: path)
            try DatabaseQueue(path: path).write { db in
                for sql in alterations { try db.execute(sql: sql) }
            }
            let error = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: path) }
            #expect(error?.code == .incompatible && error?.message.contains(expected) == true,
                    "\(String(describing: error))")
        }
    }

    /// A database at schema version 1, as the first migration leaves it, holding `metadata` and `payload` in the
    /// columns that schema has.
    static func writeSchemaOne(_ metadata: CheckpointMetadata, payload: [UInt8], at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try CheckpointSchema.migrator.migrate(queue, upTo: "v1 checkpoint table")
        let stored = try CheckpointRecord(metadata, payload: payload).databaseDictionary
        try queue.write { db in
            let columns = try db.columns(in: "checkpoint").map(\.name)
            try db.execute(
                sql: "INSERT INTO checkpoint (\(columns.joined(separator: ", "))) VALUES "
                    + "(\(databaseQuestionMarks(count: columns.count)))",
                arguments: StatementArguments(columns.map { stored[$0] }))
        }
    }
}
