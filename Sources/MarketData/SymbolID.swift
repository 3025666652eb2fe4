/// A dense, interned identifier of an instrument symbol such as `BTC-USD`.
///
/// Identifiers are assigned by a ``SymbolTable`` in order of first appearance (allow-listed names first), start
/// at zero and never change for the lifetime of that table; use them to index per-symbol arrays.
public struct SymbolID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The dense index.
    public var rawValue: UInt32

    /// Wraps a dense index.
    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The dense index as an `Int`, for array subscripts.
    @inlinable
    public var index: Int { Int(rawValue) }

    /// Orders by dense index.
    @inlinable
    public static func < (lhs: SymbolID, rhs: SymbolID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `symbol#N`; resolve names with ``SymbolTable/name(of:)``.
    public var description: String { "symbol#\(rawValue)" }
}
