extension FactorCovariance {
    /// Restores UᵀU = I to working precision while keeping U Λ Uᵀ: U = Q R by modified Gram–Schmidt over the
    /// active columns (right-looking: column j is normalized, then removed from every later column in one pass
    /// over the asset rows, which is MGS's order of operations with contiguous row access), then
    /// R Λ Rᵀ = W diag(μ) Wᵀ by Jacobi and U ← Q W, Λ ← μ, so U Λ Uᵀ = Q R Λ Rᵀ Qᵀ changes only by rounding.
    ///
    /// Runs every ``FactorConfiguration/orthonormalizationPeriod`` updates (default 1,000; see there for why), and
    /// may be called at any time. O(N·k²), no allocation. A column that Gram–Schmidt finds dependent (norm below
    /// 10⁻⁸ after removing the earlier ones: impossible while U is near-orthonormal) is dropped with its factor.
    public mutating func orthonormalize() {
        stepsSinceOrthonormalization = 0
        let active = activeCount
        guard active > 0 else { return }
        let count = assetCount
        let k = configuration.factors
        for index in 0..<(active * active) { triangle[index] = 0 }
        loadings.withUnsafeMutableBufferPointer { loadingBuffer in
            triangle.withUnsafeMutableBufferPointer { triangleBuffer in
                correction.withUnsafeMutableBufferPointer { dotBuffer in
                    guard let u = loadingBuffer.baseAddress, let r = triangleBuffer.baseAddress,
                          let d = dotBuffer.baseAddress else { return }
                    for column in 0..<active {
                        var squared = 0.0
                        for asset in 0..<count { squared += u[asset * k + column] * u[asset * k + column] }
                        let norm = squared.squareRoot()
                        guard norm > 1e-8 else {
                            for asset in 0..<count { u[asset * k + column] = 0 }
                            continue
                        }
                        r[column * active + column] = norm
                        let inverse = 1 / norm
                        for later in (column + 1)..<max(active, column + 1) { d[later] = 0 }
                        for asset in 0..<count {
                            let row = u + asset * k
                            let q = row[column] * inverse
                            row[column] = q
                            for later in (column + 1)..<max(active, column + 1) { d[later] += q * row[later] }
                        }
                        for later in (column + 1)..<max(active, column + 1) { r[column * active + later] = d[later] }
                        for asset in 0..<count {
                            let row = u + asset * k
                            let q = row[column]
                            for later in (column + 1)..<max(active, column + 1) { row[later] -= q * d[later] }
                        }
                    }
                }
            }
        }
        // B = R Λ Rᵀ (R upper triangular): B_ab = Σ_{l ≥ max(a, b)} R_al Λ_l R_bl.
        for a in 0..<active {
            for b in 0..<active {
                var sum = 0.0
                for l in max(a, b)..<active {
                    sum += triangle[a * active + l] * factorVariances[l] * triangle[b * active + l]
                }
                small[a * active + b] = sum
            }
        }
        let newRank = selectEigenvectors(order: active)
        rotateLoadings(inputColumns: active, newRank: newRank, extraScale: 0)
        refreshExplained()
    }

    /// max |UᵀU − I| over the active columns: the loss of orthonormality since the last re-orthonormalization.
    /// A diagnostic: O(N·k²), allocates k² doubles.
    public var orthonormalityError: Double {
        let k = configuration.factors
        let active = activeCount
        var gram = Array(repeating: 0.0, count: active * active)
        for asset in 0..<assetCount {
            for a in 0..<active {
                let value = loadings[asset * k + a]
                for b in 0..<active { gram[a * active + b] += value * loadings[asset * k + b] }
            }
        }
        var worst = 0.0
        for a in 0..<active {
            for b in 0..<active { worst = max(worst, abs(gram[a * active + b] - (a == b ? 1 : 0))) }
        }
        return worst
    }
}
