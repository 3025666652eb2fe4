import Foundation
import PackagePlugin

/// Generates `GeneratedBuildInfo.swift` for the target it is applied to: the git commit the package was built
/// from and the versions SwiftPM resolved for every dependency (read from `Package.resolved`).
///
/// A prebuild command, so it runs on every build; `scripts/build-info.sh` rewrites the file only when its content
/// changes, so an unchanged tree recompiles nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        // An image built without .git names its commit through the environment.
        let commit = ProcessInfo.processInfo.environment["FULCRUM_COMMIT"].map { ["FULCRUM_COMMIT": $0] } ?? [:]
        return [
            .prebuildCommand(
                displayName: "Recording the commit and resolved dependency versions",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [package.appending(path: "scripts/build-info.sh").path, package.path, output.path],
                environment: commit,
                outputFilesDirectory: output),
        ]
    }
}
