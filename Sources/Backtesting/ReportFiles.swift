import FulcrumRecording
import MarginModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report's files: `report.json`, `report.md` and one SVG chart per asset and portfolio under
/// `plots/`.
public enum ReportFiles {
    /// Writes every file of `report` into `directory` (created if needed) and returns their paths.
    @discardableResult
    public static func write(_ report: BacktestReport, to directory: String, includeSeries: Bool = true) throws
        -> [String] {
        try createDirectory(directory)
        try createDirectory(directory + "/plots")
        var written: [String] = []
        func emit(_ relative: String, _ text: String) throws { try emit(relative, Array(text.utf8)) }
        func emit(_ relative: String, _ bytes: [UInt8]) throws {
            let path = directory + "/" + relative
            try write(bytes, to: path)
            written.append(path)
        }
        try emit("report.json", report.json(includeSeries: includeSeries))
        try emit("report.md", report.markdown())
        for index in report.assets.indices { try emit(report.assetChartPath(index), report.assetChart(index)) }
        for index in report.portfolios.indices {
            try emit(report.portfolioChartPath(index), report.portfolioChart(index))
        }
        return written
    }

    /// Creates `path` and its missing parents.
    public static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw failure("cannot create directory", path: prefix)
            }
        }
    }

    /// Replaces the file at `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", path: path) }
        defer { _ = POSIX.close(descriptor) }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = POSIX.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write", path: path)
                }
                offset += written
            }
        }
    }

    /// An `.io` error naming what failed, the path and the system's reason.
    static func failure(_ what: String, path: String) -> BacktestingError {
        let reason = String(cString: strerror(errno))
        return BacktestingError(code: .io, message: "\(what) \(path): \(reason)", context: ["path": path])
    }
}
