import ArgumentParser
import FulcrumBuildInfo

/// The `fulcrum` command line.
struct FulcrumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum",
        abstract: "Real-time margin and leverage optimizer on a ZeroMQ market-data bus.",
        discussion: """
            Fulcrum subscribes to price ticks, estimates volatility and correlation on an event-time grid, \
            sets margin requirements and leverage limits that keep the chance of bad debt under a target, \
            and publishes them to downstream services with sequence numbers, heartbeats and snapshots.

            Start with `fulcrum run`: with no configuration it runs a built-in simulated market. \
            In another terminal, `fulcrum watch tcp://127.0.0.1:7601` shows the parameters live.
            """,
        version: BuildInfo.summary,
        subcommands: [
            RunCommand.self, WatchCommand.self, KeygenCommand.self, ConfigCommand.self, ProxyCommand.self,
            RecordCommand.self, BacktestCommand.self, VersionCommand.self,
        ]
    )
}
