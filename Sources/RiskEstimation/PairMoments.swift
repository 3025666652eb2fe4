/// One row of the Ledoit–Wolf sums over the packed lower triangle (columns 0..<row), with four independent
/// partial sums per quantity so the loop is not bound by the latency of a single accumulator.
struct PairMoments {
    let cross: UnsafePointer<Double>
    let fourth: UnsafePointer<Double>
    let scales: UnsafePointer<Double>
    let inverseWeight: UnsafePointer<Double>
    let inverseESS: UnsafePointer<Double>
    let inverseVariance: UnsafePointer<Double>
    let row: Int

    @inline(__always)
    func term(_ column: Int) -> (rho: Double, pi: Double) {
        let crossValue = cross[column]
        let rho = RiskEstimator.clampedCorrelation(crossValue, scales[row], scales[column])
        let weight = max(inverseWeight[row], inverseWeight[column])
        let mean = crossValue * weight
        let spread = max(fourth[column] * weight - mean * mean, 0)
        let pi = spread * (inverseVariance[row] * inverseVariance[column]) * max(inverseESS[row], inverseESS[column])
        return (rho, pi)
    }

    func accumulate() -> (sum: Double, sumOfSquares: Double, variance: Double) {
        var sum = (0.0, 0.0, 0.0, 0.0)
        var squares = (0.0, 0.0, 0.0, 0.0)
        var pis = (0.0, 0.0, 0.0, 0.0)
        var column = 0
        while column + 4 <= row {
            let a = term(column), b = term(column + 1), c = term(column + 2), d = term(column + 3)
            sum.0 += a.rho; sum.1 += b.rho; sum.2 += c.rho; sum.3 += d.rho
            squares.0 += a.rho * a.rho; squares.1 += b.rho * b.rho
            squares.2 += c.rho * c.rho; squares.3 += d.rho * d.rho
            pis.0 += a.pi; pis.1 += b.pi; pis.2 += c.pi; pis.3 += d.pi
            column += 4
        }
        while column < row {
            let a = term(column)
            sum.0 += a.rho
            squares.0 += a.rho * a.rho
            pis.0 += a.pi
            column += 1
        }
        return ((sum.0 + sum.1) + (sum.2 + sum.3), (squares.0 + squares.1) + (squares.2 + squares.3),
                (pis.0 + pis.1) + (pis.2 + pis.3))
    }
}
