import ArgumentParser
import FulcrumBuildInfo

/// `fulcrum version`: the build, and with `--verbose` the dependency versions it was built with.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and commit (as --version does); --verbose adds the dependency versions.")

    @Flag(help: "Also list every package SwiftPM resolved for this build, with its version.")
    var verbose = false

    func run() {
        print("fulcrum \(BuildInfo.summary)")
        guard verbose else { return }
        let width = BuildInfo.dependencies.map(\.name.count).max() ?? 0
        for dependency in BuildInfo.dependencies {
            print("  " + dependency.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + dependency.version)
        }
    }
}
