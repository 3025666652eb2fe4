import ArgumentParser
import ConfigurationLoading
import Foundation
import FulcrumService
import FulcrumSettings
import Logging

/// `fulcrum run`: the service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the risk-parameter service (the default command).",
        discussion: """
            With no --config, runs the embedded default: a simulated market of five correlated crypto assets \
            (geometric Brownian motion with jumps and volatility regime switches) feeding the pipeline over a \
            real ZeroMQ socket, and parameters published on tcp://127.0.0.1:7601 (snapshots on :7602). \
            Environment variables FULCRUM__SECTION__KEY override configuration keys. SIGTERM or SIGINT \
            stop intake, publish a final update and exit 0 — or 1 when messages arrived and not one tick was \
            accepted, naming the top rejection reasons and the settings that decide them.
            """
    )

    @Option(name: .shortAndLong, help: "YAML configuration file (see deploy/fulcrum.yaml).")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (overrides the file).")
    var logLevel: Logger.Level?

    @Flag(help: ArgumentHelp("With checkpointing on: do not resume; set the stored checkpoint aside (renamed "
                             + "*.refused-<time>) and start a new one. Needed to start past a corrupt or "
                             + "incompatible checkpoint."))
    var fresh = false

    /// Exit status of a configuration that does not load or validate (as `fulcrum config check`).
    static let invalidConfigurationStatus: Int32 = 2
    /// Exit status of a failure once the configuration is valid: a socket that cannot bind (an address in use), a
    /// checkpoint that cannot be used or created, a service that failed while running.
    static let failureStatus: Int32 = 1

    func run() async throws {
        // Validated before logging starts, so that a bad `logging.level` is refused rather than read as info; every
        // problem is named, as `fulcrum config check` names them.
        let check = FulcrumConfiguration.check(path: config, environment: ProcessInfo.processInfo.environment)
        guard let configuration = check.configuration else {
            var standardError = FileHandle.standardError
            for problem in check.problems { print("invalid configuration: \(problem)", to: &standardError) }
            throw ExitCode(Self.invalidConfigurationStatus)
        }
        // `validate()` refused a `logging.level` that is not a level, so the fallback is never taken.
        let level = logLevel ?? configuration.logging.minimumLevel ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fulcrum")
        do {
            var application = try FulcrumApplication(configuration: configuration, logger: logger)
            application.startFresh = fresh
            try await application.run()
        } catch {
            // One line that says what failed, where (endpoint, path or key) and the operating system's reason.
            logger.critical("fulcrum failed: \(error)")
            throw ExitCode(Self.failureStatus)
        }
    }

    /// The file and the environment over the embedded default (``FulcrumConfiguration/load(path:environment:)``).
    static func loadConfiguration(path: String?) throws -> FulcrumConfiguration {
        try FulcrumConfiguration.load(path: path, environment: ProcessInfo.processInfo.environment)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
