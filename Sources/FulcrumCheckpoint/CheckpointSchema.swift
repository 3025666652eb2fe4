import GRDB

/// The checkpoint database's schema: its migrations, and the checks that decide whether a file may be opened.
///
/// Schema version N is the file after the first N migrations of ``migrator``. GRDB records the migrations a file
/// has run in its `grdb_migrations` table; each migration also sets `PRAGMA user_version` to its number, so that
/// tools, and builds that read an older schema, see which one a file has (a build of schema version 1 refuses a
/// file of version 2 as incompatible rather than misreading it).
///
/// - `v1 checkpoint table` (schema 1): the table `checkpoint` (``CheckpointRecord``, one row at most) with the
///   metadata columns, the payload, its size and its CRC-32C; `PRAGMA application_id` "FULC". The schema Fulcrum
///   wrote before it used migrations.
/// - `v2 row checksum` (schema 2): adds `schema_version` and `row_crc32c`, the checksum over every metadata column
///   (the payload's size and CRC-32C among them). A row carried over from schema 1 keeps `schema_version = 1` and
///   `row_crc32c` NULL, and loading refuses it as incompatible: nothing vouches for its metadata.
///
/// A file written before migrations (application id "FULC", no `grdb_migrations`) is refused as incompatible,
/// unchanged: its metadata carries no checksum, and migrating it would alter a file that is refused anyway.
/// `fulcrum run --fresh` sets it aside.
enum CheckpointSchema {
    /// The migrations, in order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        register("v1 checkpoint table", in: &migrator) { db in
            try db.create(table: "checkpoint") { table in
                table.primaryKey("id", .integer).check { $0 == 1 }
                for column in ["payload_format", "written_at_ns", "epoch", "boundary_ns", "through_exchange_time_ns",
                               "lateness_ns", "grid_interval_ns", "steps_run", "asset_count",
                               "model_configuration_hash", "payload_size", "payload_crc32c"] {
                    table.column(column, .integer).notNull()
                }
                table.column("payload", .blob).notNull()
            }
            try db.execute(sql: "PRAGMA application_id = \(CheckpointStore.applicationID)")
        }
        register("v2 row checksum", in: &migrator) { db in
            try db.alter(table: "checkpoint") { table in
                table.add(column: "schema_version", .integer).notNull().defaults(to: 1)
                table.add(column: "row_crc32c", .integer)
            }
        }
        return migrator
    }()

    /// The schema version this build reads and writes: the number of migrations.
    static let version = migrator.migrations.count

    /// Registers a migration that ends by setting `PRAGMA user_version` to its number.
    private static func register(_ identifier: String, in migrator: inout DatabaseMigrator,
                                 _ migrate: @escaping @Sendable (Database) throws -> Void) {
        let version = migrator.migrations.count + 1
        migrator.registerMigration(identifier) { db in
            try migrate(db)
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
    }

    /// Checks that the database in `queue` is empty or a Fulcrum checkpoint database of a schema this build can
    /// migrate, runs the migrations it lacks, and checks the file's integrity (`PRAGMA quick_check`).
    ///
    /// Returns the identifiers of the migrations that ran: all of them for a new file, none for a current one.
    /// Throws ``CheckpointError`` naming `path`: `.incompatible` for a foreign file or another schema, `.corrupt`
    /// for a damaged one.
    static func prepare(_ queue: DatabaseQueue, path: String) throws(CheckpointError) -> [String] {
        let pending: [String]
        do {
            pending = try queue.read { db in try pendingMigrations(db, path: path) }
            try migrator.migrate(queue)
            let check = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            guard check == ["ok"] else {
                throw CheckpointError(code: .corrupt,
                                      message: "integrity check failed: \(check.prefix(3).joined(separator: "; "))",
                                      path: path)
            }
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointStore.classify(error, path: path, doing: "checking")
        }
        return pending
    }

    /// The migrations the file in `db` lacks, or the reason it cannot be opened.
    private static func pendingMigrations(_ db: Database, path: String) throws -> [String] {
        let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if application == 0, version == 0, try Table("sqlite_master").fetchCount(db) == 0 {
            return migrator.migrations
        }
        func incompatible(_ message: String) -> CheckpointError {
            CheckpointError(code: .incompatible, message: message, path: path)
        }
        guard application == CheckpointStore.applicationID else {
            throw incompatible("not a Fulcrum checkpoint database (application_id \(application))")
        }
        let applied = try migrator.appliedIdentifiers(db)
        guard !applied.isEmpty else {
            throw incompatible("schema version \(version), written before schema migrations, without a checksum "
                                   + "over its metadata; this build reads version \(Self.version)")
        }
        guard !(try migrator.hasBeenSuperseded(db)) else {
            let unknown = applied.subtracting(migrator.migrations).sorted().joined(separator: ", ")
            throw incompatible("schema version \(version), migrated by a newer build (\(unknown)); this build reads "
                                   + "version \(Self.version)")
        }
        let completed = try migrator.completedMigrations(db)
        guard completed.count == applied.count, version == completed.count else {
            let migrations = try migrator.appliedMigrations(db).joined(separator: ", ")
            throw incompatible("schema version \(version) (migrations: \(migrations)); this build reads version "
                                   + "\(Self.version)")
        }
        return Array(migrator.migrations.dropFirst(completed.count))
    }
}
