import Foundation

/// The samples of a Prometheus text exposition (what `/metrics` serves), keyed by `name{label="value",…}` with the
/// labels sorted by name, so that a test looks a series up without knowing the order the exporter wrote.
///
/// A test parser, not a full one: label values may not contain `,` or `"`, which Fulcrum's never do.
public struct PrometheusSamples: Sendable {
    /// Every sample's value by its key (see ``key(_:_:)``).
    public var values: [String: Double] = [:]
    /// The type of each metric family (`counter`, `gauge`, `histogram`, …) by family name, from `# TYPE` lines.
    public var types: [String: String] = [:]

    /// Parses `text`; comment lines other than `# TYPE` and lines without a numeric value are skipped.
    public init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count >= 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                  let value = Double(line[line.index(after: space)...]) else { continue }
            values[Self.normalize(String(line[..<space]))] = value
        }
    }

    /// The value of the sample `name` with `labels`, if present.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        values[Self.key(name, labels)]
    }

    /// The cumulative buckets of histogram `name` as (upper bound, count), sorted by bound.
    public func buckets(_ name: String) -> [(bound: Double, count: Double)] {
        let prefix = name + "_bucket{le=\""
        return values.compactMap { key, value -> (Double, Double)? in
            guard key.hasPrefix(prefix), key.hasSuffix("\"}") else { return nil }
            let bound = key.dropFirst(prefix.count).dropLast(2)
            return (bound == "+Inf" ? .infinity : Double(bound) ?? .nan, value)
        }.sorted { $0.0 < $1.0 }
    }

    /// The key of series `name` with `labels`: `name`, or `name{a="1",b="2"}` with the labels sorted by name.
    public static func key(_ name: String, _ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
            .joined(separator: ",") + "}"
    }

    /// The key of a series as the exposition writes it (`name{b="2",a="1"}`).
    static func normalize(_ series: String) -> String {
        guard let open = series.firstIndex(of: "{"), series.hasSuffix("}") else { return series }
        let name = String(series[..<open])
        let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
        var labels: [String: String] = [:]
        for pair in body.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
        }
        return key(name, labels)
    }
}
