import Synchronization

/// Health-constrained margins, handed from protocol health to the engine: a multiplier of the target margins
/// per market (1 = none), set by the health thread after each stress run and read by the engine at its grid
/// steps.
///
/// The engine re-reads the table only when its version moved (one atomic load per step otherwise), so that an
/// unconstrained engine pays nothing. The multipliers are absolute — relative to the margins the risk model
/// targets without health — so that they never compound.
public final class HealthConstraint: Sendable {
    private let table = Mutex<[String: Double]>([:])
    private let changes = Atomic<UInt64>(0)

    /// An empty table: every multiplier 1.
    public init() {}

    /// Replaces the multipliers (markets not named go back to 1).
    public func set(_ multipliers: [String: Double]) {
        let clean = multipliers.filter { $0.value.isFinite && $0.value > 1 }
        let changed = table.withLock { current -> Bool in
            guard current != clean else { return false }
            current = clean
            return true
        }
        if changed { changes.add(1, ordering: .releasing) }
    }

    /// The multiplier of each market (1 for none).
    public var multipliers: [String: Double] { table.withLock { $0 } }

    /// Bumped by every change of the table.
    public var version: UInt64 { changes.load(ordering: .acquiring) }
}

extension RiskEngine {
    /// The health multiplier of every asset, refreshed from ``healthConstraint`` when it changed.
    mutating func refreshHealthMultipliers() {
        guard let constraint = healthConstraint else { return }
        let version = constraint.version
        guard version != healthConstraintVersion || healthMultipliers.count != symbols.count else { return }
        let table = constraint.multipliers
        healthMultipliers = symbols.map { table[$0] ?? 1 }
        healthConstraintVersion = version
    }
}
