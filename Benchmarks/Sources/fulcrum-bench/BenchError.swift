/// A failure of the benchmark driver: bad arguments, a socket error or a missing file.
struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
