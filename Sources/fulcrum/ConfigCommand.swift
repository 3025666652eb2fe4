import ArgumentParser
import Foundation
import FulcrumService

/// `fulcrum config`: configuration tools.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Configuration tools.",
        subcommands: [Check.self]
    )

    /// `fulcrum config check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file and print the effective configuration (defaults, file and "
                + "FULCRUM__* environment overrides merged) as JSON.",
            discussion: "Every problem is reported, one line each on standard error (exit status 2).")

        @Argument(help: "YAML configuration file; omit to check the embedded default.")
        var file: String?

        @Flag(help: "Check it as a `fulcrum backtest` configuration: feeds come from the input, so none are needed.")
        var backtest = false

        func run() throws {
            let result = FulcrumConfiguration.check(path: file, environment: ProcessInfo.processInfo.environment) {
                backtest ? $0.forBacktest : $0
            }
            guard let configuration = result.configuration else {
                var standardError = FileHandle.standardError
                for problem in result.problems { print("invalid configuration: \(problem)", to: &standardError) }
                if result.problems.count > 1 {
                    print("\(result.problems.count) problems", to: &standardError)
                }
                throw ExitCode(2)
            }
            do {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(configuration), as: UTF8.self))
            } catch {
                var standardError = FileHandle.standardError
                print("invalid configuration: \(error)", to: &standardError)
                throw ExitCode(2)
            }
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
