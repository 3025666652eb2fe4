import Foundation
import FulcrumProtocol
import RiskFeed
import SwiftProtobuf

/// Renders risk-feed events for a terminal or a pipe.
struct WatchPrinter {
    let format: WatchFormat
    /// The client's dead time in seconds (`--dead-after`), quoted when the publisher is declared dead.
    let deadAfter: Double
    var lastDraw = ContinuousClock.now - .seconds(1)
    /// The last feed-health event, shown in the table's status line.
    var lastNotice: String?
    let isTerminal = isatty(STDOUT_FILENO) != 0
    /// Whether the lines format has printed its column header (before its first row).
    var printedHeader = false

    init(format: WatchFormat, deadAfter: Double) {
        self.format = format
        self.deadAfter = deadAfter
    }

    mutating func show(_ event: RiskFeedEvent, state: RiskFeedState) {
        let notice = self.notice(event)
        switch format {
        case .json:
            if let notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
            printJSON(event)
        case .lines:
            printLine(event)
        case .table:
            if let notice { lastNotice = Self.timestamp() + " " + notice }
            drawTable(state, event: event, force: notice != nil)
        }
    }

    /// The line for a feed-health event: dead, alive again, resync with its reason, synchronized; `nil` for data.
    func notice(_ event: RiskFeedEvent) -> String? {
        switch event {
        case .publisherDead:
            "publisher DEAD: nothing heard for \(String(format: "%g", deadAfter)) s; parameters are STALE"
        case .publisherAlive:
            "publisher ALIVE: heartbeats received"
        case .resyncing(let reason):
            "RESYNC reason=\(reason.rawValue): requesting a snapshot"
        case .synchronized(let epoch, let sequence, let symbols):
            "synchronized epoch=\(epoch) sequence=\(sequence) symbols=\(symbols)"
        case .parameters, .portfolio:
            nil
        }
    }

    func printJSON(_ event: RiskFeedEvent) {
        guard case .parameters(let parameters) = event,
              let text = try? parameters.jsonString(options: PayloadRendering.jsonOptions) else { return }
        print(text)
        fflush(nil)  // nil flushes every stream without touching the global `stdout`
    }

    /// One line per update under the column header, printed once before anything else; feed events between.
    mutating func printLine(_ event: RiskFeedEvent) {
        if !printedHeader {
            print(Self.header)
            printedHeader = true
        }
        if case .parameters(let p) = event {
            print(Self.row(p, now: WallClock.now))
        } else if let notice = notice(event) {
            print(Self.timestamp() + " " + notice)
        } else {
            return
        }
        fflush(nil)  // nil flushes every stream without touching the global `stdout`
    }

    mutating func drawTable(_ state: RiskFeedState, event: RiskFeedEvent, force: Bool) {
        let now = ContinuousClock.now
        guard now - lastDraw > .milliseconds(250) || !isTerminal || force else { return }
        if case .portfolio = event { return }
        lastDraw = now
        var lines: [String] = []
        let health = state.isPublisherAlive ? (state.isSynchronized ? "LIVE" : "SYNCING") : "STALE"
        lines.append("Fulcrum risk feed  [\(health)]  epoch \(state.epoch ?? 0)  sequence \(state.sequence)")
        if let lastNotice { lines.append("last event: " + lastNotice) }
        lines.append(Self.header)
        let wallNow = WallClock.now
        for symbol in state.parameters.keys.sorted() {
            if let parameters = state.parameters[symbol] { lines.append(Self.row(parameters, now: wallNow)) }
        }
        if isTerminal { print("\u{1B}[H\u{1B}[2J", terminator: "") }
        print(lines.joined(separator: "\n"))
        if !isTerminal { print("") }
        fflush(nil)  // nil flushes every stream without touching the global `stdout`
    }

    static let header = [
        pad("SYMBOL", 12), pad("STATUS", 9), pad("PRICE", 12, right: true), pad("σ ANN", 8, right: true),
        pad("IMF", 8, right: true), pad("(TARGET)", 9, right: true), pad("MMF", 8, right: true),
        pad("(TARGET)", 9, right: true), pad("LEV", 5, right: true), pad("AGE", 6, right: true), "  REASONS",
    ].joined(separator: " ")

    /// One asset's row; its age is `now` (wall clock, nanoseconds since the epoch) less the grid boundary the
    /// parameters reflect (`as_of_ns`), as of printing.
    static func row(_ p: WireRiskParameters, now: Int64) -> String {
        [
            pad(p.symbol, 12), pad(status(p.status), 9), pad(number(p.price), 12, right: true),
            pad(percent(p.inputs.sigmaAnnual), 8, right: true), pad(percent(p.imf), 8, right: true),
            pad("(" + percent(p.imfTarget) + ")", 9, right: true), pad(percent(p.mmf), 8, right: true),
            pad("(" + percent(p.mmfTarget) + ")", 9, right: true), pad("\(p.maxLeverage)x", 5, right: true),
            pad(age(now - p.asOfNs), 6, right: true),
            "  " + p.reasons.map(reason).joined(separator: ","),
        ].joined(separator: " ")
    }

    static func status(_ status: Fulcrum_V1_AssetStatus) -> String {
        switch status {
        case .warming: "warming"
        case .ready: "ready"
        case .stressed: "STRESSED"
        case .stale: "STALE"
        default: "?"
        }
    }

    /// The reason's readable form, as `/parameters`, the dashboard and the logs write it (`step_limit`).
    static func reason(_ reason: Fulcrum_V1_Reason) -> String {
        reason.label
    }

    /// Wall-clock time of day (UTC) for event lines, to the millisecond.
    static func timestamp() -> String {
        let now = WallClock.now
        let seconds = Int(now / 1_000_000_000) % 86_400
        return String(format: "%02d:%02d:%02d.%03dZ", seconds / 3_600, seconds / 60 % 60, seconds % 60,
                      Int(now % 1_000_000_000) / 1_000_000)
    }

    /// A duration in nanoseconds as its largest unit: `850ms`, `4.2s`, `12s`, `3m`, `5h`, `2d`; `-` for a time in
    /// the future (event time ahead of this clock).
    static func age(_ nanoseconds: Int64) -> String {
        guard nanoseconds >= 0 else { return "-" }
        let seconds = Double(nanoseconds) / 1e9
        switch seconds {
        case ..<1: return "\(Int(seconds * 1_000))ms"
        case ..<10: return String(format: "%.1fs", seconds)
        case ..<120: return "\(Int(seconds))s"
        case ..<7_200: return "\(Int(seconds / 60))m"
        case ..<172_800: return "\(Int(seconds / 3_600))h"
        default: return "\(Int(seconds / 86_400))d"
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    static func number(_ value: Double) -> String {
        value >= 100 ? String(format: "%.2f", value) : String(format: "%.6g", value)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let spaces = String(repeating: " ", count: width - count)
        return right ? spaces + text : text + spaces
    }
}
