/// One change a position source sends: a position as it is now, a cross account's collateral, or an account
/// closed. Markets are indices into the book's markets (the caller maps symbols).
public enum PositionChange: Sendable, Hashable {
    /// A position as it is now (size 0 closes it).
    case position(account: UInt64, market: Int, size: Double, entryPrice: Double, mode: MarginMode,
                  isolatedCollateral: Double)
    /// A cross account's collateral as it is now.
    case collateral(account: UInt64, amount: Double)
    /// Every position and the collateral of an account are gone.
    case closeAccount(UInt64)

    /// Applies the change to `book`.
    ///
    /// - Throws: ``HealthError`` for a change the book refuses (the book is unchanged then).
    public func apply(to book: inout PositionBook) throws(HealthError) {
        switch self {
        case let .position(account, market, size, entryPrice, mode, isolatedCollateral):
            try book.setPosition(account: account, market: market, size: size, entryPrice: entryPrice, mode: mode,
                                 isolatedCollateral: isolatedCollateral)
        case let .collateral(account, amount):
            try book.setCollateral(account: account, amount: amount)
        case let .closeAccount(account):
            book.removeAccount(account)
        }
    }
}

/// A numbered batch of changes from a position source.
public struct PositionDelta: Sendable, Hashable {
    /// The source's epoch; a new one means the source restarted and its numbers began again.
    public var epoch: UInt64
    /// The update's number in the source's sequence (1, 2, …, no gaps).
    public var sequence: UInt64
    /// The changes, in order.
    public var changes: [PositionChange]

    /// Creates a delta.
    public init(epoch: UInt64, sequence: UInt64, changes: [PositionChange]) {
        self.epoch = epoch
        self.sequence = sequence
        self.changes = changes
    }
}
