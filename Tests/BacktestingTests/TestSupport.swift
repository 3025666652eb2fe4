import FulcrumTestSupport

extension SplitMix64 {
    /// `count` bytes, each the low byte of one ``next()``.
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}
