import DedicatedThreads
import Logging
import ServiceLifecycle
import ZeroMQ

/// Runs the ZAP handler on its own thread for the life of the process, and logs the admitted and refused
/// handshake counts when they change (at most once a second).
///
/// Listed first in the service group, so it is the last to stop: no CURVE socket outlives its handler, and
/// while it runs no connection is admitted without its answer (the sockets enforce the ZAP domain: with no
/// handler answering, libzmq refuses the connection).
public struct SecurityService: Service {
    let security: SecurityContext
    let status: SecurityStatus
    let logger: Logger

    /// A service running `security`'s handler and reporting into `status`.
    public init(security: SecurityContext, status: SecurityStatus, logger: Logger) {
        self.security = security
        self.status = status
        self.logger = logger
        status.attach(security.handler)
    }

    public func run() async throws {
        logger.info("curve on", metadata: [
            "fulcrum.security.public.key": "\(security.keyPair.publicKey.z85)",
            "fulcrum.security.allowed.clients": "\(security.allowedClients.count)",
            "fulcrum.security.zap.domain": "\(security.zapDomain)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            let handler = security.handler
            group.addTask {
                try await DedicatedService.run(name: "fulcrum-zap") { stop in try handler.run(until: stop) }
            }
            group.addTask { [status, logger] in
                try? await cancelWhenGracefulShutdown {
                    var reported = (accepted: UInt64(0), denied: UInt64(0))
                    while true {
                        try await Task.sleep(for: .seconds(1))
                        let now = (accepted: status.accepted, denied: status.denied)
                        if now != reported {
                            let metadata: Logger.Metadata = [
                                "fulcrum.security.accepted": "\(now.accepted)",
                                "fulcrum.security.denied": "\(now.denied)",
                            ]
                            if now.denied != reported.denied {
                                logger.warning("curve handshakes refused", metadata: metadata)
                            } else {
                                logger.info("curve handshakes admitted", metadata: metadata)
                            }
                            reported = now
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
