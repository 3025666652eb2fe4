import FulcrumEngine
import Logging
import MarginModel
import Synchronization

/// Checkpointing as prepared at start: the store opened and checked, the stored state decoded, checked against its
/// metadata and trial-restored (so a bad checkpoint stops the process before any socket binds), and the writer for
/// new checkpoints.
public struct CheckpointResume: Sendable {
    /// The writer of new checkpoints.
    public let writer: CheckpointWriter
    /// The checkpoint the engine resumes from; `nil` for a fresh start.
    public let resumed: CheckpointMetadata?
    /// Event time between checkpoints, ns.
    public let interval: Int64
    /// The engine restored at `prepare` to check the checkpoint, handed to ``makeEngine(configuration:epoch:)`` so
    /// that a resume builds (registers and restores every asset) once, not twice. It is the only holder of the
    /// restored state, so the engine's first writes do not copy it.
    let restored: EngineHandoff?

    /// Passes one engine from the thread that prepared it to the thread that runs it.
    final class EngineHandoff: Sendable {
        private let engine: Mutex<RiskEngine?>

        init(_ engine: consuming sending RiskEngine) {
            self.engine = Mutex(engine)
        }

        /// The engine, the first time; `nil` afterwards.
        func take() -> RiskEngine? {
            engine.withLock { engine in
                let taken = engine
                engine = nil
                return taken
            }
        }
    }

    /// Opens `configuration.checkpoint.path` and loads its checkpoint; `nil` when checkpointing is off.
    ///
    /// With `fresh`, an existing file is set aside (renamed `<path>.refused-<unix seconds>`) without being read and
    /// a new database is started. Otherwise a corrupt or incompatible checkpoint throws ``CheckpointError``, which
    /// names the file and the problem: it is never used, and never silently replaced.
    public static func prepare(settings: CheckpointSettings, engine configuration: EngineConfiguration, epoch: UInt64,
                               fresh: Bool, logger: Logger) throws -> CheckpointResume? {
        guard settings.enabled else { return nil }
        if fresh, let aside = try CheckpointStore.setAside(path: settings.path) {
            logger.warning("starting fresh: existing checkpoint set aside", metadata: [
                "fulcrum.checkpoint.path": "\(settings.path)", "fulcrum.checkpoint.aside": "\(aside)",
            ])
        }
        let store = try CheckpointStore(path: settings.path)
        guard let (metadata, bytes) = try store.load() else {
            logger.info("no checkpoint yet; starting fresh", metadata: ["fulcrum.checkpoint.path": "\(settings.path)"])
            return CheckpointResume(writer: CheckpointWriter(store: store, logger: logger), resumed: nil,
                                    interval: settings.interval, restored: nil)
        }
        let payload: RiskEngine.CheckpointPayload
        let trial: RiskEngine
        do {
            payload = try bytes.withUnsafeBytes {
                try CheckpointDecoder.decode(RiskEngine.CheckpointPayload.self, from: $0)
            }
            try metadata.check(against: payload)
            trial = try RiskEngine(configuration: configuration, epoch: epoch, restoring: payload)
            let ledger = trial.coverageLedger
            let restarted = zip(ledger.trackers, payload.coverage.trackers).filter { $0 != $1 }.count
                + ledger.portfolios.filter { !payload.coverage.portfolios.contains($0) }.count
            if restarted > 0 {
                logger.warning("coverage settings changed since the checkpoint; those trackers start afresh",
                               metadata: [
                                   "fulcrum.checkpoint.path": "\(settings.path)",
                                   "fulcrum.coverage.restarted": "\(restarted)",
                               ])
            }
        } catch let error as CheckpointError {
            throw error.at(settings.path)
        } catch let error as EngineError {
            throw CheckpointError(code: error.code == .corrupt ? .corrupt : .incompatible, message: error.message,
                                  path: settings.path)
        } catch {
            throw CheckpointError(code: .corrupt, message: "\(error)", path: settings.path)
        }
        let modelHash = configuration.model.configurationHash
        if modelHash != metadata.modelConfigurationHash {
            logger.warning("""
                model configuration changed since the checkpoint; governance resumes from the published values \
                under the new settings
                """, metadata: [
                "fulcrum.checkpoint.model.hash": "\(String(metadata.modelConfigurationHash, radix: 16))",
                "fulcrum.model.hash": "\(String(modelHash, radix: 16))",
            ])
        }
        logger.info("resuming from checkpoint", metadata: [
            "fulcrum.checkpoint.path": "\(settings.path)",
            "fulcrum.checkpoint.boundary": "\(metadata.boundary)",
            "fulcrum.checkpoint.through": "\(metadata.throughExchangeTime)",
            "fulcrum.checkpoint.epoch": "\(metadata.epoch)",
            "fulcrum.checkpoint.steps": "\(metadata.stepsRun)",
            "fulcrum.checkpoint.assets": "\(metadata.assetCount)",
        ])
        return CheckpointResume(writer: CheckpointWriter(store: store, logger: logger, lastStepsRun: metadata.stepsRun),
                                resumed: metadata, interval: settings.interval, restored: EngineHandoff(trial))
    }

    /// The engine to run: the one restored from the checkpoint at ``prepare(settings:engine:epoch:fresh:logger:)``
    /// (for that `configuration`), with the run's `epoch`, or a fresh one when there was no checkpoint.
    ///
    /// The restored engine is handed over once; asking again throws ``CheckpointError`` (a process resumes once).
    public func makeEngine(configuration: EngineConfiguration, epoch: UInt64) throws -> RiskEngine {
        guard let restored else { return try RiskEngine(configuration: configuration, epoch: epoch) }
        guard var engine = restored.take() else {
            throw CheckpointError(code: .storage, message: "the engine restored from the checkpoint was already "
                                      + "handed to a run; start the process again to resume")
        }
        engine.epoch = epoch
        return engine
    }
}
