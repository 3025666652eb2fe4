extension SplitMix64 {
    /// `count` bytes, each the low byte of one `next()`.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
