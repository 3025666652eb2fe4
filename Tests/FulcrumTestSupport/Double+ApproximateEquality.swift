// Tests compare computed floating-point values with swift-numerics' `isApproximatelyEqual(to:relativeTolerance:)`
// and `isApproximatelyEqual(to:absoluteTolerance:relativeTolerance:)`; importing this module brings them.
@_exported import RealModule

extension Double {
    /// Whether `self` and `other` agree to `relativeTolerance` of the larger of |self|, |other| and |scale|:
    ///
    ///     self == other, or |self − other| ≤ relativeTolerance · max(|self|, |other|, |scale|) (finite)
    ///
    /// `scale` is the magnitude the quantity is naturally measured against, so that a value that cancels to near
    /// zero is not held to a tolerance relative to its own tiny size: for a covariance, √(σᵢ² σⱼ²); for money,
    /// one unit. With `scale` 0 this is the relative comparison alone. It is RealModule's comparison with an
    /// absolute tolerance of `relativeTolerance · |scale|`, which RealModule does not offer by itself.
    ///
    /// NaN equals nothing; an infinity equals only itself.
    public func isApproximatelyEqual(to other: Double, relativeTolerance: Double, scale: Double) -> Bool {
        isApproximatelyEqual(to: other, absoluteTolerance: relativeTolerance * abs(scale),
                             relativeTolerance: relativeTolerance)
    }

    /// Not available without a tolerance: RealModule's default (√ε ≈ 1.5 × 10⁻⁸) is far looser than the 10⁻⁹ and
    /// 10⁻¹² the tests hold their values to, so every comparison states its own. Declared so that a call without
    /// one warns (an error under `-warnings-as-errors`) instead of silently taking that default.
    @available(*, deprecated, message: "state the tolerance: relativeTolerance: or absoluteTolerance:")
    public func isApproximatelyEqual(to other: Double) -> Bool {
        isApproximatelyEqual(to: other, relativeTolerance: Double.ulpOfOne.squareRoot())
    }
}
