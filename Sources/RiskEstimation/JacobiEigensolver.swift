/// Eigendecomposition of a small dense symmetric matrix by cyclic Jacobi rotations, in place over storage the
/// caller owns (no allocation).
///
/// **Method.** Sweeps over the pairs (p, q), p < q, in row order; each rotation J(p, q, θ) with
/// t = tan θ = sgn(ϑ)/(|ϑ| + √(ϑ² + 1)), ϑ = (a_qq − a_pp)/(2a_pq), zeroes a_pq (Rutishauser's formulas with
/// τ = s/(1 + c), as in Numerical Recipes' `jacobi`), and the same rotation is accumulated into V. It stops when
/// Σ_{p≠q} a_pq² ≤ ε²·Σ_p a_pp² (ε = 2⁻⁵³), or after 60 sweeps.
///
/// **Why Jacobi here.** The matrices are at most 65×65 and, in the factor model, diagonal plus a rank-one term,
/// where cyclic Jacobi converges quadratically after the first sweep (typically 4–8 sweeps). Every step is an
/// exact plane rotation up to rounding, so V stays orthogonal to a few ulps·√m whatever the spectrum (no
/// deflation, shifts or secular-equation roots whose computed eigenvectors can lose orthogonality for close
/// eigenvalues, the known weak point of the O(m²) diagonal-plus-rank-one solvers), and eigenvalues are found with
/// an absolute error of a few ε·‖A‖ — for positive semidefinite matrices even with high relative accuracy
/// (Demmel & Veselić 1992), thanks to the skip rule |a_pq| ≤ ε·√(a_pp·a_qq). Cost O(m³) per sweep.
enum JacobiEigensolver {
    /// Largest number of sweeps (never reached in practice: convergence is quadratic).
    static let maximumSweeps = 60

    /// Diagonalizes the m×m symmetric row-major matrix at `matrix` (overwritten: on return its diagonal holds the
    /// eigenvalues, in no particular order) and writes the eigenvectors as the columns of the m×m row-major
    /// `vectors` (component r of eigenvector j at `vectors[r·m + j]`). Returns the number of sweeps done.
    @discardableResult
    static func decompose(_ matrix: UnsafeMutablePointer<Double>, vectors: UnsafeMutablePointer<Double>,
                          order m: Int) -> Int {
        for index in 0..<(m * m) { vectors[index] = 0 }
        for index in 0..<m { vectors[index * m + index] = 1 }
        guard m > 1 else { return 0 }
        let epsilon = Double.ulpOfOne / 2
        for sweep in 0..<maximumSweeps {
            var offDiagonal = 0.0
            var diagonal = 0.0
            for p in 0..<m {
                diagonal += matrix[p * m + p] * matrix[p * m + p]
                for q in (p + 1)..<m { offDiagonal += 2 * matrix[p * m + q] * matrix[p * m + q] }
            }
            if offDiagonal == 0 || offDiagonal <= epsilon * epsilon * diagonal { return sweep }
            for p in 0..<(m - 1) {
                for q in (p + 1)..<m {
                    rotate(matrix, vectors: vectors, order: m, p, q, epsilon: epsilon)
                }
            }
        }
        return maximumSweeps
    }

    /// One Jacobi rotation that zeroes a_pq.
    @inline(__always)
    private static func rotate(_ a: UnsafeMutablePointer<Double>, vectors v: UnsafeMutablePointer<Double>,
                               order m: Int, _ p: Int, _ q: Int, epsilon: Double) {
        let apq = a[p * m + q]
        if apq == 0 { return }
        let app = a[p * m + p]
        let aqq = a[q * m + q]
        // Demmel–Veselić: an entry below ε·√(a_pp·a_qq) is rounding noise of the diagonal; dropping it perturbs
        // the eigenvalues by less than their own rounding.
        if abs(apq) <= epsilon * (abs(app) * abs(aqq)).squareRoot() {
            a[p * m + q] = 0
            a[q * m + p] = 0
            return
        }
        let theta = (aqq - app) / (2 * apq)
        // For |ϑ| beyond 10¹⁵⁰, ϑ² would overflow; t = 1/(2ϑ) is then exact to working precision.
        let t: Double
        if abs(theta) > 1e150 {
            t = 1 / (2 * theta)
        } else {
            t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        }
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        let tau = s / (1 + c)
        a[p * m + p] = app - t * apq
        a[q * m + q] = aqq + t * apq
        a[p * m + q] = 0
        a[q * m + p] = 0
        for r in 0..<m where r != p && r != q {
            let arp = a[r * m + p]
            let arq = a[r * m + q]
            let newP = arp - s * (arq + tau * arp)
            let newQ = arq + s * (arp - tau * arq)
            a[r * m + p] = newP
            a[p * m + r] = newP
            a[r * m + q] = newQ
            a[q * m + r] = newQ
        }
        for r in 0..<m {
            let vrp = v[r * m + p]
            let vrq = v[r * m + q]
            v[r * m + p] = vrp - s * (vrq + tau * vrp)
            v[r * m + q] = vrq + s * (vrp - tau * vrq)
        }
    }
}
