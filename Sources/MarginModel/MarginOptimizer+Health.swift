extension MarginTierTable {
    /// The schedule with every tier's IMF and MMF multiplied by `multiplier`, each capped at
    /// max(`cap`, its current value) so that a cap never lowers a fraction, max leverage following the new IMF
    /// on `leverageSteps`, and the deductions recomputed for continuity. A multiplier of 1, not positive or not
    /// finite returns the schedule unchanged.
    ///
    /// Health-constrained margins apply this to the optimizer's target (multipliers above 1 only: health only
    /// ever raises margins); protocol health applies the same function to price the schedules it proposes —
    /// below 1 to take a multiplier in force back out — so that what it evaluates is what the optimizer would
    /// target.
    public func scaled(by multiplier: Double, cap: Double, leverageSteps: [Int]) -> MarginTierTable {
        guard multiplier.isFinite, multiplier > 0, multiplier != 1 else { return self }
        var tiers = self
        for index in 0..<tiers.count {
            let mmf = tiers[index].maintenanceMarginFraction
            let imf = tiers[index].initialMarginFraction
            let newMMF = Swift.min(mmf * multiplier, Swift.max(cap, mmf))
            let newIMF = Swift.max(Swift.min(imf * multiplier, Swift.max(cap, imf)), newMMF)
            tiers[index].maintenanceMarginFraction = newMMF
            tiers[index].initialMarginFraction = newIMF
            tiers[index].maxLeverage = LeverageLadder.maxLeverage(initialMarginFraction: newIMF, steps: leverageSteps)
        }
        tiers.recomputeMaintenanceDeductions()
        return tiers
    }
}

extension MarginOptimizer {
    /// Health-constrained margins: multiplies the target tiers by the asset's health multiplier
    /// (``MarginTierTable/scaled(by:cap:leverageSteps:)``) and marks the update
    /// ``MarginReasons/protocolHealth``. The published values follow through the governor as for any
    /// target: up at once (bounded steps), down slowly after the cooldown.
    func applyHealth(_ multiplier: Double, asset: Int, tiers: inout MarginTierTable, reasons: inout MarginReasons) {
        guard multiplier.isFinite, multiplier > 1 else { return }
        tiers = tiers.scaled(by: multiplier, cap: settings[asset].maximumInitialMarginFraction,
                             leverageSteps: configuration.leverage.leverageSteps)
        reasons.insert(.protocolHealth)
    }
}
