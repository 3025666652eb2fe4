/// The aggregates of ``HealthEvaluator/evaluate(book:layout:markets:topCount:)`` while units are added, in flat
/// per-market arrays (one add per position, no nested array to check for uniqueness).
struct HealthAccumulator {
    let marketCount: Int
    static let bucketCount = HealthEvaluator.leverageBuckets.count + 1
    static let bandCount = HealthEvaluator.sigmaBands.count

    var units = 0
    var liquidatableUnits = 0
    var equity = 0.0
    var maintenance = 0.0
    var longNotional: [Double]
    var shortNotional: [Double]
    var notionalByLeverage: [Double]
    var notionalWithinSigma: [Double]
    var liquidatableNotional: [Double]
    /// The units within the widest band, largest notional first.
    var top: RankedUnits

    init(marketCount: Int, topCount: Int) {
        self.marketCount = marketCount
        longNotional = Array(repeating: 0, count: marketCount)
        shortNotional = Array(repeating: 0, count: marketCount)
        notionalByLeverage = Array(repeating: 0, count: marketCount * Self.bucketCount)
        notionalWithinSigma = Array(repeating: 0, count: marketCount * Self.bandCount)
        liquidatableNotional = Array(repeating: 0, count: marketCount)
        top = RankedUnits(capacity: topCount)
    }

    /// Values `units` (free slots and units without positions skipped) and adds them in order.
    mutating func add(units: Range<Int>, book: BookView, markets: MarketView) {
        let buckets = HealthEvaluator.leverageBuckets
        let bands = HealthEvaluator.sigmaBands
        let widest = bands[bands.count - 1]
        let bucketCount = Self.bucketCount
        let bandCount = Self.bandCount
        var top = self.top
        var unitTotal = self.units
        var liquidatableUnits = self.liquidatableUnits
        var equityTotal = equity
        var maintenanceTotal = maintenance
        buckets.withUnsafeBufferPointer { buckets in
        bands.withUnsafeBufferPointer { bands in
        longNotional.withUnsafeMutableBufferPointer { long in
        shortNotional.withUnsafeMutableBufferPointer { short in
        notionalByLeverage.withUnsafeMutableBufferPointer { byLeverage in
        notionalWithinSigma.withUnsafeMutableBufferPointer { withinSigma in
        liquidatableNotional.withUnsafeMutableBufferPointer { liquidatable in
            for unit in units where !book.unitCollateral[unit].isNaN {
                let range = book.range(unit)
                guard !range.isEmpty else { continue }
                // The unit's health, as HealthEvaluator.unit computes it.
                var equity = book.unitCollateral[unit]
                var maintenance = 0.0
                var notional = 0.0
                var sensitivity = 0.0
                for index in range {
                    let position = Int(book.positions[index])
                    let market = Int(book.positionMarket[position])
                    let size = book.positionSize[position]
                    let price = markets.markPrice[market]
                    let positionNotional = abs(size) * price
                    equity += size * (price - book.positionEntry[position])
                    let (margin, tier) = markets.maintenance(market, positionNotional)
                    maintenance += margin
                    notional += positionNotional
                    sensitivity += positionNotional * markets.horizonVolatility[market]
                        * (1 - markets.rate[tier] * (size > 0 ? 1 : -1))
                }
                let health = UnitHealth(equity: equity, maintenance: maintenance, notional: notional,
                                        sensitivity: sensitivity)
                let distance = health.distanceInSigma
                let leverage = health.leverage
                var bucket = buckets.count
                for (index, bound) in buckets.enumerated() where leverage <= bound {
                    bucket = index
                    break
                }
                let isLiquidatable = health.isLiquidatable
                unitTotal += 1
                if isLiquidatable { liquidatableUnits += 1 }
                equityTotal += equity
                maintenanceTotal += maintenance
                for index in range {
                    let position = Int(book.positions[index])
                    let market = Int(book.positionMarket[position])
                    let size = book.positionSize[position]
                    let positionNotional = abs(size) * markets.markPrice[market]
                    if size > 0 { long[market] += positionNotional } else { short[market] += positionNotional }
                    byLeverage[market &* bucketCount &+ bucket] += positionNotional
                    for band in 0..<bandCount where distance <= bands[band] {
                        withinSigma[market &* bandCount &+ band] += positionNotional
                    }
                    if isLiquidatable { liquidatable[market] += positionNotional }
                }
                if distance <= widest { top.offer(unit: unit, notional: notional) }
            }
        }}}}}}}
        self.top = top
        self.units = unitTotal
        self.liquidatableUnits = liquidatableUnits
        equity = equityTotal
        maintenance = maintenanceTotal
    }

    /// The aggregates as a summary (top contributors left for the caller to describe).
    var summary: HealthSummary {
        var summary = HealthSummary(marketCount: marketCount)
        summary.units = units
        summary.liquidatableUnits = liquidatableUnits
        summary.equity = equity
        summary.maintenance = maintenance
        for market in 0..<marketCount {
            summary.markets[market].longNotional = longNotional[market]
            summary.markets[market].shortNotional = shortNotional[market]
            summary.markets[market].notionalByLeverage = Array(
                notionalByLeverage[(market * Self.bucketCount)..<((market + 1) * Self.bucketCount)])
            summary.markets[market].notionalWithinSigma = Array(
                notionalWithinSigma[(market * Self.bandCount)..<((market + 1) * Self.bandCount)])
            summary.markets[market].liquidatableNotional = liquidatableNotional[market]
        }
        return summary
    }
}

/// The `capacity` units of largest notional offered so far (ties: the lower unit first), kept sorted: a bounded
/// selection in place of sorting every candidate.
struct RankedUnits {
    let capacity: Int
    private(set) var ranked: [(unit: Int, notional: Double)] = []

    init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Whether `a` ranks before `b`: more notional, or as much and a lower unit.
    @inline(__always)
    static func before(_ a: (unit: Int, notional: Double), _ b: (unit: Int, notional: Double)) -> Bool {
        a.notional != b.notional ? a.notional > b.notional : a.unit < b.unit
    }

    mutating func offer(unit: Int, notional: Double) {
        let item = (unit: unit, notional: notional)
        if ranked.count == capacity {
            guard let last = ranked.last, Self.before(item, last) else { return }
            ranked.removeLast()
        }
        var index = ranked.count
        while index > 0, Self.before(item, ranked[index - 1]) { index -= 1 }
        ranked.insert(item, at: index)
    }
}
