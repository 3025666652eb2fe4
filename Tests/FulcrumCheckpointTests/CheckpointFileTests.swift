import Foundation
import FulcrumService
import FulcrumTestSupport
import Testing
@testable import FulcrumCheckpoint
@testable import FulcrumEngine

/// What is at the checkpoint path before SQLite touches it, and a writer that never stops in silence.
@Suite("Checkpoint files: empty, foreign and unwritable files; skipped writes")
struct CheckpointFileTests {
    static func settings(_ path: String) -> CheckpointSettings {
        var settings = CheckpointTests.configuration().checkpoint
        settings.enabled = true
        settings.path = path
        return settings
    }

    static func prepare(_ path: String, fresh: Bool = false, log: LogCapture = LogCapture()) throws
        -> CheckpointResume? {
        try CheckpointResume.prepare(settings: settings(path), engine: CheckpointTests.configuration().engine,
                                     epoch: 9, fresh: fresh, logger: log.logger())
    }

    @Test("An empty (0-byte) file is refused as corrupt, naming the file and --fresh; --fresh sets it aside")
    func emptyFile() throws {
        let directory = try TemporaryDirectory(prefix: "ckpt-empty")
        defer { directory.remove() }
        let path = directory.path("state.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = #expect(throws: CheckpointError.self, "an empty file was taken for a new checkpoint") {
            _ = try Self.prepare(path)
        }
        #expect(error?.code == .corrupt && error?.message.contains("empty") == true, "\(String(describing: error))")
        #expect(error?.description.contains(path) == true && error?.description.contains("--fresh") == true)
        // Left as it was, as evidence.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)

        let log = LogCapture()
        let resume = try #require(try Self.prepare(path, fresh: true, log: log))
        #expect(resume.resumed == nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(files.contains { $0.hasPrefix("state.sqlite.refused-") }, "\(files)")
        #expect(log.records.contains { $0.message.contains("set aside") })
    }

    @Test("A file that is not an SQLite database is refused as corrupt before SQLite opens it",
          arguments: [Array("hello, this is not a database\n".utf8), [UInt8](repeating: 0, count: 4_096),
                      Array("SQLite format 2\0".utf8) + [UInt8](repeating: 1, count: 100)])
    func foreignFile(contents: [UInt8]) throws {
        let directory = try TemporaryDirectory(prefix: "ckpt-foreign")
        defer { directory.remove() }
        let path = directory.path("state.sqlite")
        try Data(contents).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: path) }
        #expect(error?.code == .corrupt && error?.message.contains("not an SQLite database") == true,
                "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contents), "the file was changed")
    }

    @Test("A new database has its header on disk at once: reopening it is no 'empty file'")
    func newDatabaseHasHeader() throws {
        let directory = try TemporaryDirectory(prefix: "ckpt-new")
        defer { directory.remove() }
        let path = directory.path("state.sqlite")
        _ = try CheckpointStore(path: path)
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(16)
        #expect(Array(header) == CheckpointStore.sqliteHeader)
        #expect(try CheckpointStore(path: path).load() == nil)
    }

    @Test("A path that cannot be created or written is refused at start with the path and the OS reason")
    func unwritable() throws {
        let directory = try TemporaryDirectory(prefix: "ckpt-ro")
        defer {
            chmod(directory.url.path, 0o755)
            directory.remove()
        }
        // A directory that does not exist.
        let missing = directory.path("missing/state.sqlite")
        let noDirectory = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: missing) }
        #expect(noDirectory?.code == .storage && noDirectory?.description.contains(missing) == true
                    && noDirectory?.message.contains("No such file or directory") == true,
                "\(String(describing: noDirectory))")
        // A "directory" that is a file: refused whoever runs the test, root included.
        let file = directory.path("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let notDirectory = #expect(throws: CheckpointError.self) {
            _ = try CheckpointStore(path: file + "/state.sqlite")
        }
        #expect(notDirectory?.code == .storage && notDirectory?.message.contains("Not a directory") == true,
                "\(String(describing: notDirectory))")
        // Permissions bind everyone but root (which the test machine may run as).
        guard getuid() != 0 else { return }
        let readOnly = directory.path("readonly.sqlite")
        _ = try CheckpointStore(path: readOnly)
        chmod(readOnly, 0o444)
        let noWrite = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: readOnly) }
        #expect(noWrite?.code == .storage && noWrite?.message.contains("Permission denied") == true,
                "\(String(describing: noWrite))")
        chmod(directory.url.path, 0o555)
        let inReadOnly = directory.path("new.sqlite")
        let noCreate = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: inReadOnly) }
        #expect(noCreate?.code == .storage && noCreate?.message.contains("Permission denied") == true
                    && noCreate?.description.contains(inReadOnly) == true, "\(String(describing: noCreate))")
    }

    @Test("A snapshot older than the stored checkpoint is not written, and that is counted and logged")
    func skippedWrite() throws {
        let directory = try TemporaryDirectory(prefix: "ckpt-skip")
        defer { directory.remove() }
        let configuration = CheckpointTests.configuration()
        var engine = try RiskEngine(configuration: configuration.engine, epoch: 3)
        let ticks = try CheckpointTests.ticks(steps: 40)
        _ = CheckpointTests.run(&engine, ticks[..<80])
        let older = try #require(engine.snapshot(throughExchangeTime: ticks[79].time))
        _ = CheckpointTests.run(&engine, ticks[80...])
        let newer = try #require(engine.snapshot(throughExchangeTime: ticks.last!.time))
        let log = LogCapture()
        let writer = CheckpointWriter(store: try CheckpointStore(path: directory.path("state.sqlite")),
                                      logger: log.logger())
        writer.writeNow(newer)
        writer.writeNow(older)
        #expect(writer.written.load(ordering: .relaxed) == 1)
        #expect(writer.skipped.load(ordering: .relaxed) == 1)
        #expect(writer.failed.load(ordering: .relaxed) == 0)
        #expect(try writer.store.load()?.metadata.stepsRun == newer.stepsRun)
        let warning = try #require(log.records.first { $0.level == .warning }, "no log line for the skipped write")
        #expect(warning.message.contains("not written"))
        #expect(warning.metadata["fulcrum.checkpoint.steps"] == "\(older.stepsRun)")
        #expect(warning.metadata["fulcrum.checkpoint.stored.steps"] == "\(newer.stepsRun)")
    }
}
