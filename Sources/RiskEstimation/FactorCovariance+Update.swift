extension FactorCovariance {
    /// The rank-one update of U Λ Uᵀ by (1−λ)·r rᵀ for the returns in `stepReturns` (|r|² = `normSquared` > 0).
    mutating func absorbStepReturns(normSquared: Double) {
        let count = assetCount
        let k = configuration.factors
        let active = activeCount
        var residualSquared = 0.0
        loadings.withUnsafeBufferPointer { loadingBuffer in
            stepReturns.withUnsafeBufferPointer { returnBuffer in
                residual.withUnsafeMutableBufferPointer { residualBuffer in
                    projection.withUnsafeMutableBufferPointer { projectionBuffer in
                        correction.withUnsafeMutableBufferPointer { correctionBuffer in
                            guard let u = loadingBuffer.baseAddress, let r = returnBuffer.baseAddress,
                                  let e = residualBuffer.baseAddress, let p = projectionBuffer.baseAddress,
                                  let c = correctionBuffer.baseAddress else { return }
                            residualSquared = Self.project(loadings: u, returns: r, residual: e, projection: p,
                                                           correction: c, count: count, stride: k, active: active)
                        }
                    }
                }
            }
        }
        var rho = residualSquared.squareRoot()
        if rho <= Self.residualThreshold * normSquared.squareRoot() { rho = 0 }
        // K = λ·diag(Λ, 0) + (1−λ)·[p; ρ][p; ρ]ᵀ over the active columns and, with ρ > 0, the new direction.
        let order = rho > 0 ? active + 1 : active
        projection[active] = rho
        for row in 0..<order {
            for column in 0..<order {
                small[row * order + column] = complement * projection[row] * projection[column]
            }
            if row < active { small[row * order + row] += decay * factorVariances[row] }
        }
        let newRank = selectEigenvectors(order: order)
        let inverseRho = rho > 0 ? 1 / rho : 0
        rotateLoadings(inputColumns: order, newRank: newRank, extraScale: inverseRho)
        refreshExplained()
    }

    /// p = Uᵀr, e = r − U p, then once more p′ = Uᵀe, e ← e − U p′, p ← p + p′ (classical Gram–Schmidt twice).
    /// Returns |e|². O(4·N·k).
    @inline(__always)
    static func project(loadings u: UnsafePointer<Double>, returns r: UnsafePointer<Double>,
                        residual e: UnsafeMutablePointer<Double>, projection p: UnsafeMutablePointer<Double>,
                        correction c: UnsafeMutablePointer<Double>, count: Int, stride k: Int,
                        active: Int) -> Double {
        for factor in 0..<active {
            p[factor] = 0
            c[factor] = 0
        }
        for asset in 0..<count {
            let value = r[asset]
            if value == 0 { continue }
            let row = u + asset * k
            for factor in 0..<active { p[factor] += row[factor] * value }
        }
        for asset in 0..<count {
            let row = u + asset * k
            var dot = 0.0
            for factor in 0..<active { dot += row[factor] * p[factor] }
            let value = r[asset] - dot
            e[asset] = value
            for factor in 0..<active { c[factor] += row[factor] * value }
        }
        var squared = 0.0
        for asset in 0..<count {
            let row = u + asset * k
            var dot = 0.0
            for factor in 0..<active { dot += row[factor] * c[factor] }
            let value = e[asset] - dot
            e[asset] = value
            squared += value * value
        }
        for factor in 0..<active { p[factor] += c[factor] }
        return squared
    }

    /// Decomposes the `order`×`order` matrix in `small`, sorts its eigenvalues in descending order (ties by
    /// index), writes the eigenvectors of the largest min(k, order) positive normal eigenvalues into `selected`
    /// (order × newRank, row-major) and the eigenvalues into `factorVariances`; returns newRank.
    mutating func selectEigenvectors(order: Int) -> Int {
        let k = configuration.factors
        small.withUnsafeMutableBufferPointer { matrix in
            smallVectors.withUnsafeMutableBufferPointer { vectors in
                guard let a = matrix.baseAddress, let v = vectors.baseAddress else { return }
                JacobiEigensolver.decompose(a, vectors: v, order: order)
            }
        }
        // Insertion sort of ≤ 65 indices by eigenvalue, descending and stable.
        for index in 0..<order {
            let value = small[index * order + index]
            var position = index
            while position > 0 && small[eigenvalueOrder[position - 1] * order + eigenvalueOrder[position - 1]] < value {
                eigenvalueOrder[position] = eigenvalueOrder[position - 1]
                position -= 1
            }
            eigenvalueOrder[position] = index
        }
        var newRank = 0
        while newRank < min(k, order) {
            let source = eigenvalueOrder[newRank]
            let value = small[source * order + source]
            guard value >= Double.leastNormalMagnitude else { break }
            factorVariances[newRank] = value
            newRank += 1
        }
        for factor in newRank..<k { factorVariances[factor] = 0 }
        for row in 0..<order {
            for column in 0..<newRank {
                selected[row * newRank + column] = smallVectors[row * order + eigenvalueOrder[column]]
            }
        }
        return newRank
    }

    /// U ← [U_active, s·e]·G over every asset row, G = `selected` (inputColumns × newRank); the extra column
    /// (s·e with s = 1/ρ) takes part only when inputColumns > activeCount. Columns from newRank to the old active
    /// count are zeroed. O(N·inputColumns·newRank).
    mutating func rotateLoadings(inputColumns: Int, newRank: Int, extraScale: Double) {
        let count = assetCount
        let k = configuration.factors
        let active = activeCount
        loadings.withUnsafeMutableBufferPointer { loadingBuffer in
            residual.withUnsafeBufferPointer { residualBuffer in
                selected.withUnsafeBufferPointer { selectedBuffer in
                    extendedRow.withUnsafeMutableBufferPointer { extendedBuffer in
                        rotatedRow.withUnsafeMutableBufferPointer { rotatedBuffer in
                            guard let u = loadingBuffer.baseAddress, let e = residualBuffer.baseAddress,
                                  let g = selectedBuffer.baseAddress, let x = extendedBuffer.baseAddress,
                                  let y = rotatedBuffer.baseAddress else { return }
                            for asset in 0..<count {
                                let row = u + asset * k
                                for column in 0..<active { x[column] = row[column] }
                                if inputColumns > active { x[active] = e[asset] * extraScale }
                                for column in 0..<newRank { y[column] = 0 }
                                for input in 0..<inputColumns {
                                    let value = x[input]
                                    let weights = g + input * newRank
                                    for column in 0..<newRank { y[column] += value * weights[column] }
                                }
                                for column in 0..<newRank { row[column] = y[column] }
                                if active > newRank {
                                    for column in newRank..<active { row[column] = 0 }
                                }
                            }
                        }
                    }
                }
            }
        }
        activeCount = newRank
    }

    /// A step without any nonzero return: Λ ← m·Λ with m = λ (m = λ^s for s such steps), U unchanged. Factors
    /// whose variance decays below the normal range are dropped (their column zeroed).
    mutating func decayFactors(by multiplier: Double) {
        var newRank = 0
        for factor in 0..<activeCount {
            factorVariances[factor] *= multiplier
            if factorVariances[factor] >= Double.leastNormalMagnitude { newRank = factor + 1 }
        }
        if newRank < activeCount {
            let k = configuration.factors
            for factor in newRank..<activeCount { factorVariances[factor] = 0 }
            for asset in 0..<assetCount {
                for factor in newRank..<activeCount { loadings[asset * k + factor] = 0 }
            }
            activeCount = newRank
        }
        refreshExplained()
    }

    /// explained_i = Σ_f Λ_f·U_if² (the same expression wherever it is formed, so a decoded model continues bit
    /// for bit). O(N·k).
    mutating func refreshExplained() {
        let count = assetCount
        let k = configuration.factors
        let active = activeCount
        loadings.withUnsafeBufferPointer { loadingBuffer in
            factorVariances.withUnsafeBufferPointer { varianceBuffer in
                explained.withUnsafeMutableBufferPointer { explainedBuffer in
                    guard let u = loadingBuffer.baseAddress, let lambda = varianceBuffer.baseAddress,
                          let out = explainedBuffer.baseAddress else { return }
                    for asset in 0..<count {
                        let row = u + asset * k
                        var sum = 0.0
                        for factor in 0..<active { sum += lambda[factor] * (row[factor] * row[factor]) }
                        out[asset] = sum
                    }
                }
            }
        }
    }
}
