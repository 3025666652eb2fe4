/// Low-rank-plus-diagonal EWMA covariance of N assets' grid returns, updated incrementally in O(N·k²) per step
/// with O(N·k) memory, for universes where the full matrix of `RiskEstimator` (N²/2 sums, O(N²) per step) is too
/// large.
///
/// **Model.** The EWMA covariance C_t = λ·C_{t−1} + (1−λ)·r_t r_tᵀ (C_0 = 0) is tracked as a truncated
/// eigendecomposition U Λ Uᵀ (U: N×k with orthonormal columns, Λ = diag(Λ_1 ≥ … ≥ Λ_k ≥ 0)) and reported
/// bias-corrected like the estimator's (pandas `ewm(adjust: true)`): Σ = (U Λ Uᵀ)/W + D with W = 1 − λ^t the
/// weight of the t steps so far. The diagonal comes from each asset's own EWMA variance
/// σ²_i = Σ λ^(n−j)·r_j² / Σ λ^(n−j) over its returns, and D_i = max(σ²_i − (U Λ Uᵀ)_ii / W, floor·σ²_i), so the
/// model's variances equal σ²_i exactly unless the floor binds (see ``FactorConfiguration/idiosyncraticFloor``).
///
/// **Update** (Brand 2006, "Fast low-rank modifications of the thin SVD", for a symmetric matrix). With p = Uᵀr,
/// e = r − U p and ρ = |e|: C' = [U, e/ρ]·K·[U, e/ρ]ᵀ with K = λ·diag(Λ, 0) + (1−λ)·[p; ρ][p; ρ]ᵀ, a
/// (k+1)×(k+1) matrix. K = G·diag(μ)·Gᵀ by cyclic Jacobi (see `JacobiEigensolver`); the new loadings are
/// [U, e/ρ]·G restricted to the k largest μ, and Λ' those μ. The truncation drops the smallest direction each
/// step, so U Λ Uᵀ ⪯ C_t in the Loewner order (by induction), and it equals C_t exactly while the rank of the
/// history is ≤ k (warm-up).
///
/// **Why it is stable.** Every operation on U is a product with an orthogonal matrix computed to a few ulps, and
/// the new direction e is orthogonalized twice against U (classical Gram–Schmidt repeated, "twice is enough":
/// Giraud, Langou & Rozložník 2005), so UᵀU − I grows by a few ulps per step; every
/// ``FactorConfiguration/orthonormalizationPeriod`` steps U is re-orthonormalized by modified Gram–Schmidt without
/// changing U Λ Uᵀ beyond rounding (see `orthonormalize()`). A residual with ρ ≤ 10⁻⁸·|r| is treated as 0: it
/// carries at most 10⁻¹⁶ of the step's energy, below rounding, and e/ρ would no longer be orthogonal to U to
/// working precision. K is positive semidefinite, so its eigenvalues are ≥ 0 up to rounding; columns whose
/// eigenvalue is not a positive normal number are dropped (set to zero, Λ = 0), which is how the model holds
/// fewer than k factors (``rank``).
///
/// **Accuracy.** Against an independent numpy implementation of the same recursion (`numpy.linalg.eigh`), U Λ Uᵀ
/// and D agree to 10⁻⁹ relative to √(σ²_i σ²_j) (observed ≈ 10⁻¹³). Against the full EWMA matrix, the error is
/// that of a rank-k approximation: for returns driven by f ≤ k factors it is the idiosyncratic sample
/// correlation the model deliberately drops, of order (idiosyncratic share)/√ESS; see the DocC article
/// "Factor model" for measured figures.
///
/// **Missing returns.** An asset marked absent enters the factor update as r_i = 0 (its loadings decay like a
/// zero return) while its own variance σ²_i is not updated (neither decayed nor weighted), as the estimator's
/// variance only moves with the asset's own returns. A present value that is not finite (or beyond
/// ``maximumReturnMagnitude``) is treated as absent and counted (``invalidReturns``); it never reaches the state.
///
/// **Cost.** One update is about N·k² + 6·N·k multiply-adds plus O(k³) for the small eigenproblem, without
/// allocation; memory is 8·N·(k + 6) bytes plus O(k²).
public struct FactorCovariance: Sendable {
    /// The configuration this model was created with.
    public let configuration: FactorConfiguration
    /// λ.
    let decay: Double
    /// 1 − λ.
    let complement: Double

    /// U, asset-major: the loading of asset i on factor f at `loadings[i·k + f]`; columns ≥ `rank` are zero.
    var loadings: [Double] = []
    /// Λ (not bias-corrected), descending; entries ≥ `rank` are 0.
    var factorVariances: [Double] = []
    /// Number of active factors (columns with Λ_f > 0).
    var activeCount = 0
    /// W = 1 − λ^t, accumulated as W ← λ·W + (1 − λ).
    var gridWeight = 0.0
    /// Σ_j λ^(n−j)·(1−λ)·r_j² over the asset's own returns.
    var ownSum: [Double] = []
    /// Σ_j λ^(n−j)·(1−λ) over the asset's own returns.
    var ownWeight: [Double] = []
    var ownReturnCount: [Int64] = []
    var steps: Int64 = 0
    var invalidReturnCount: Int64 = 0
    var stepsSinceOrthonormalization = 0

    /// (U Λ Uᵀ)_ii, refreshed after every change of U or Λ (derived, not encoded).
    var explained: [Double] = []

    // Scratch, never encoded.
    var stepReturns: [Double] = []
    var residual: [Double] = []
    /// The small symmetric matrix (K or R Λ Rᵀ), (k+1)², row-major.
    var small: [Double] = []
    /// Its eigenvectors, (k+1)², row-major, as columns.
    var smallVectors: [Double] = []
    /// The kept eigenvectors, (k+1)×k row-major, in descending order of eigenvalue.
    var selected: [Double] = []
    var projection: [Double] = []
    var correction: [Double] = []
    var extendedRow: [Double] = []
    var rotatedRow: [Double] = []
    var eigenvalueOrder: [Int] = []
    /// R of the re-orthonormalization, k×k row-major.
    var triangle: [Double] = []

    /// Largest |r| accepted: squares and their sums over N assets then stay far from overflow.
    public static let maximumReturnMagnitude = 1e50
    /// ρ ≤ residualThreshold·|r| counts as no new direction.
    static let residualThreshold = 1e-8

    /// Creates a model of `assetCount` assets without data. `configuration` must have passed `validate()`;
    /// storage for `assetCapacity` assets (at least `assetCount`) is reserved so that ``addAsset()`` up to it
    /// does not reallocate.
    public init(configuration: FactorConfiguration, assetCount: Int, assetCapacity: Int = 0) {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("FactorCovariance needs a validated configuration: \(error)")
        }
        self.configuration = configuration
        decay = configuration.decay
        complement = 1 - configuration.decay
        let k = configuration.factors
        factorVariances = Array(repeating: 0, count: k)
        small = Array(repeating: 0, count: (k + 1) * (k + 1))
        smallVectors = Array(repeating: 0, count: (k + 1) * (k + 1))
        selected = Array(repeating: 0, count: (k + 1) * k)
        projection = Array(repeating: 0, count: k + 1)
        correction = Array(repeating: 0, count: k + 1)
        extendedRow = Array(repeating: 0, count: k + 1)
        rotatedRow = Array(repeating: 0, count: k + 1)
        eigenvalueOrder = Array(repeating: 0, count: k + 1)
        triangle = Array(repeating: 0, count: k * k)
        let capacity = max(assetCapacity, assetCount, 0)
        loadings.reserveCapacity(capacity * k)
        for array in [\Self.ownSum, \Self.ownWeight, \Self.explained, \Self.stepReturns, \Self.residual] {
            self[keyPath: array].reserveCapacity(capacity)
        }
        ownReturnCount.reserveCapacity(capacity)
        for _ in 0..<max(assetCount, 0) { _ = addAsset() }
    }

    /// Number of assets.
    public var assetCount: Int { ownSum.count }

    /// Adds an asset without data and returns its index; its loadings are 0 until its first present return.
    /// Allocates only beyond the reserved capacity.
    public mutating func addAsset() -> Int {
        let index = assetCount
        loadings.append(contentsOf: repeatElement(0, count: configuration.factors))
        ownSum.append(0)
        ownWeight.append(0)
        ownReturnCount.append(0)
        explained.append(0)
        stepReturns.append(0)
        residual.append(0)
        return index
    }

    /// Absorbs one grid step's returns: `returns[i]` is asset i's return, used when `present` is nil or
    /// `present[i]` is true (see the type's notes on missing and invalid returns). Both arrays have
    /// ``assetCount`` entries. O(N·k²), no allocation.
    @discardableResult
    public mutating func update(returns: [Double], present: [Bool]? = nil) -> FactorUpdate {
        precondition(returns.count == assetCount, "one return per asset")
        precondition(present == nil || present?.count == assetCount, "one presence flag per asset")
        let lambda = decay
        let weightIncrement = complement
        var outcome = FactorUpdate(used: 0, missing: 0, invalid: 0)
        var normSquared = 0.0
        for asset in 0..<assetCount {
            let value = returns[asset]
            var valid = present?[asset] ?? true
            if !valid {
                outcome.missing += 1
            } else if !(value.isFinite && abs(value) <= Self.maximumReturnMagnitude) {
                outcome.invalid += 1
                valid = false
            }
            if valid {
                outcome.used += 1
                ownSum[asset] = lambda * ownSum[asset] + weightIncrement * (value * value)
                ownWeight[asset] = lambda * ownWeight[asset] + weightIncrement
                ownReturnCount[asset] += 1
                stepReturns[asset] = value
                normSquared += value * value
            } else {
                stepReturns[asset] = 0
            }
        }
        invalidReturnCount += Int64(outcome.invalid)
        gridWeight = lambda * gridWeight + weightIncrement
        steps += 1
        if normSquared > 0 {
            absorbStepReturns(normSquared: normSquared)
        } else {
            decayFactors(by: decay)
        }
        stepsSinceOrthonormalization += 1
        if stepsSinceOrthonormalization >= configuration.orthonormalizationPeriod {
            orthonormalize()
        }
        return outcome
    }
}
