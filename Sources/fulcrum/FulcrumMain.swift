import ArgumentParser
import Foundation

/// The entry point: `fulcrum` alone (or with only `run`'s options) runs the service; a word that is not a command
/// is an error naming the commands, not an argument of `run`.
@main
enum FulcrumMain {
    static func main() async {
        switch route(Array(CommandLine.arguments.dropFirst())) {
        case .arguments(let arguments):
            await FulcrumCommand.main(arguments)
        case .unknown(let message):
            var standardError = FileHandle.standardError
            print(message, to: &standardError)
            exit(ExitCode.validationFailure.rawValue)
        }
    }

    enum Route: Equatable {
        case arguments([String])
        case unknown(String)
    }

    static let commands = FulcrumCommand.configuration.subcommands.map { $0.configuration.commandName ?? "" }

    /// What to hand ArgumentParser: `run` is implied before nothing or before an option other than help and
    /// version; an unknown first word is refused with the commands and the closest one.
    static func route(_ arguments: [String]) -> Route {
        guard let first = arguments.first else { return .arguments(["run"]) }
        if first.hasPrefix("-") {
            let own = ["-h", "--help", "--version", "--experimental-dump-help", "--generate-completion-script"]
            return own.contains(first) ? .arguments(arguments) : .arguments(["run"] + arguments)
        }
        guard commands.contains(first) || first == "help" else {
            let closest = commands.min { distance(first, $0) < distance(first, $1) } ?? "run"
            let hint = distance(first, closest) <= 2 ? " Did you mean '\(closest)'?" : ""
            return .unknown("error: unknown command '\(first)'.\(hint) Commands: \(commands.joined(separator: ", ")) "
                            + "(see fulcrum --help).")
        }
        return .arguments(arguments)
    }

    /// Levenshtein distance, for the suggestion.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
