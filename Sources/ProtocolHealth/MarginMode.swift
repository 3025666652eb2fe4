/// How an account's collateral backs its positions.
public enum MarginMode: UInt8, Sendable, Hashable, Codable {
    /// One collateral balance backs every position of the account; one breach liquidates them all.
    case cross = 0
    /// Each position has its own collateral; its loss stops there, and it is liquidated alone.
    case isolated = 1
}
