import Logging

extension RejectionLog {
    /// Logs one line at `warning`: `ticks rejected` with the feed's name, the reason (its metric name), the
    /// rejections the line stands for and the running total, under the `fulcrum.*` metadata keys; for a reason a
    /// setting governs, `fulcrum.hint` names the configuration key that widens the bound.
    public static func log(_ line: Line, feed: String, logger: Logger) {
        var metadata: Logger.Metadata = [
            "fulcrum.feed": "\(feed)",
            "fulcrum.reason": "\(line.reason.metricName)",
            "fulcrum.events": "\(line.events)",
            "fulcrum.ticks.rejected": "\(line.total)",
        ]
        if let hint = line.reason.configurationHint { metadata["fulcrum.hint"] = "\(hint)" }
        logger.warning("ticks rejected", metadata: metadata)
    }
}
