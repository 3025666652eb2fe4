import Foundation
import FulcrumService
import FulcrumTestSupport

/// Where a scenario's Fulcrum runs: a spawned binary (``FulcrumProcess``), when signals, exit codes or separate
/// processes are the point, or the application in this process (``InProcessHost``) everywhere else.
protocol FulcrumHost: AnyObject {
    /// The risk feed (PUB) endpoint.
    var publishEndpoint: String { get }
    /// The snapshot (ROUTER) endpoint.
    var snapshotEndpoint: String { get }
    /// What Fulcrum logged so far.
    var log: String { get }
    /// Shuts Fulcrum down gracefully (SIGTERM, or its in-process equivalent); returns the exit status.
    func stop() async throws -> Int32
}

extension FulcrumProcess: FulcrumHost {
    func stop() async throws -> Int32 { try await stop(signal: SIGTERM, timeout: .seconds(15)) }
}

/// An ``InProcessHost`` with its publisher on free loopback ports, as ``FulcrumProcess`` places it.
final class InProcessFulcrumHost: FulcrumHost {
    let host: InProcessHost
    let publishEndpoint: String
    let snapshotEndpoint: String

    /// Starts `configuration` in process with the publisher on two free ports and HTTP on `httpPort`.
    init(configuration: FulcrumConfiguration, httpPort: Int) throws {
        var configuration = configuration
        let ports = try FreePorts.take(2)
        publishEndpoint = "tcp://127.0.0.1:\(ports[0])"
        snapshotEndpoint = "tcp://127.0.0.1:\(ports[1])"
        configuration.publisher.publishEndpoint = publishEndpoint
        configuration.publisher.snapshotEndpoint = snapshotEndpoint
        configuration.http.address = "127.0.0.1:\(httpPort)"
        host = InProcessHost(configuration: configuration)
    }

    deinit {
        let host = host
        Task { await host.stop() }
    }

    var log: String { host.log }

    func stop() async throws -> Int32 { await host.stop() }
}
