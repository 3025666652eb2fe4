import Logging

extension RejectionLog {
    /// Logs one line at `warning`: `ticks rejected` with the feed's name, the reason (its metric name), the
    /// rejections the line stands for and the running total, under the `fulcrum.*` metadata keys.
    public static func log(_ line: Line, feed: String, logger: Logger) {
        logger.warning("ticks rejected", metadata: [
            "fulcrum.feed": "\(feed)",
            "fulcrum.reason": "\(line.reason.metricName)",
            "fulcrum.events": "\(line.events)",
            "fulcrum.ticks.rejected": "\(line.total)",
        ])
    }
}
