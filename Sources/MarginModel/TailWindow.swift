/// A chronological sliding window of values that `ResidualTailCache` can keep the extreme tails of.
///
/// `totalAppended` counts every value ever appended (the newest has sequence number totalAppended − 1), so the
/// cache can tell new values from those that left the window.
protocol TailWindow {
    /// Number of values in the window.
    var count: Int { get }
    /// Values appended since the stream began (≥ `count`).
    var totalAppended: UInt64 { get }
    /// The value at chronological position `index` (0 = oldest).
    subscript(index: Int) -> Double { get }
}

extension ResidualWindow: TailWindow {}
