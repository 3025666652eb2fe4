import ArgumentParser
import Foundation
import FulcrumProtocol
import RiskFeed

/// `fulcrum watch`: follows a Fulcrum risk feed and prints it.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Subscribe to a Fulcrum risk feed and print parameter updates as a live table.",
        discussion: """
            Uses the client library: subscribes, takes a snapshot, follows updates in sequence, resyncs \
            on gaps and restarts, and flags the feed STALE when heartbeats stop. The publisher is declared \
            dead after --dead-after seconds without a heartbeat or update, and alive again at its next \
            message; these events and every resync (with its reason) are printed as lines (in the table \
            format as the table's status line, in the json format on standard error).
            """
    )

    @Argument(help: "Fulcrum's PUB endpoint, e.g. tcp://127.0.0.1:7601.")
    var endpoint: String

    @Option(help: "Snapshot endpoint (default: the PUB endpoint's port + 1).")
    var snapshot: String?

    @Option(help: "Output: table (live, redrawn), lines (one line per update), json (one object per update).")
    var format: WatchFormat = .table

    @Option(help: "Seconds without a heartbeat or update after which the publisher is declared dead and the data STALE.")
    var deadAfter: Double = 3

    @Option(help: "Exit after this many updates (0: run until interrupted).")
    var count: Int = 0

    @Option(help: "Fulcrum's public CURVE key (Z85) to pin; enables CURVE.")
    var curveServerKey: String?

    @Option(help: "This client's key file from `fulcrum keygen` (needed with --curve-server-key).")
    var curveKeyFile: String?

    func validate() throws {
        try EndpointArgument.check(endpoint, name: "ENDPOINT", binding: false)
        try EndpointArgument.check(snapshot ?? Self.defaultSnapshotEndpoint(for: endpoint), name: "--snapshot",
                                   binding: false)
        guard deadAfter.isFinite, deadAfter >= 0.01, deadAfter <= 86_400 else {
            throw ValidationError("--dead-after must be between 0.01 and 86400 seconds, got \(deadAfter)")
        }
    }

    func run() async throws {
        var configuration = RiskFeedClientConfiguration(
            publishEndpoint: endpoint, snapshotEndpoint: snapshot ?? Self.defaultSnapshotEndpoint(for: endpoint))
        configuration.deadAfter = .milliseconds(Int64((deadAfter * 1_000).rounded()))
        if let curveServerKey {
            guard let curveKeyFile else { throw ValidationError("--curve-server-key needs --curve-key-file") }
            configuration.curve = CurveClientOptions(serverKey: try .init(z85: curveServerKey),
                                                     keyPair: try KeyFile.load(curveKeyFile))
        }
        let client = try RiskFeedClient(configuration: configuration)
        var printer = WatchPrinter(format: format, deadAfter: deadAfter)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            var seen = 0
            for await event in client.events {
                printer.show(event, state: client.state)
                if case .parameters = event { seen += 1 }
                if count > 0, seen >= count { break }
            }
            client.stop()
            try await group.waitForAll()
        }
    }

    /// The snapshot endpoint by convention: same host, next port.
    static func defaultSnapshotEndpoint(for endpoint: String) -> String {
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
            return endpoint
        }
        return "\(endpoint[..<colon]):\(port + 1)"
    }
}

/// Output formats of `fulcrum watch`.
enum WatchFormat: String, ExpressibleByArgument, CaseIterable {
    case table, lines, json
}
