/// `--name value` options of one `fulcrum-bench` subcommand.
struct BenchArguments {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws(BenchError) {
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--"), index + 1 < arguments.count else {
                throw BenchError("expected --name value, got \(name)")
            }
            values[String(name.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
    }

    func string(_ name: String, default fallback: String? = nil) throws(BenchError) -> String {
        guard let value = values[name] ?? fallback else { throw BenchError("missing --\(name)") }
        return value
    }

    func integer(_ name: String, default fallback: Int) throws(BenchError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text) else { throw BenchError("--\(name) \(text): not an integer") }
        return value
    }

    func double(_ name: String, default fallback: Double) throws(BenchError) -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), value.isFinite else { throw BenchError("--\(name) \(text): not a number") }
        return value
    }
}
