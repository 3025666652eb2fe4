/// A dYdX v4-style liquidity tier: fractions in parts per million plus open-interest caps.
///
/// dYdX has no notional size tiers; large open interest raises IMF instead:
/// s = (OI notional − lower cap)/(upper cap − lower cap), IMF_eff = min(IMF + max(s·(1 − IMF), 0), 1).
public struct DydxLiquidityTier: Sendable, Hashable, Codable {
    /// Tier id.
    public var id: UInt32
    /// Tier name.
    public var name: String
    /// IMF in ppm (rounded up, so the venue never asks less than the model).
    public var initialMarginPpm: UInt32
    /// MMF / IMF in ppm (rounded up, at most 1,000,000).
    public var maintenanceFractionPpm: UInt32
    /// Impact notional, 500 quote units / IMF, as dYdX defines it.
    public var impactNotional: UInt64
    /// Open-interest notional where IMF scaling starts (0 with the upper cap 0: no scaling).
    public var openInterestLowerCap: UInt64
    /// Open-interest notional where IMF reaches 100 %.
    public var openInterestUpperCap: UInt64

    /// Creates a tier from explicit values.
    public init(id: UInt32, name: String, initialMarginPpm: UInt32, maintenanceFractionPpm: UInt32,
                impactNotional: UInt64, openInterestLowerCap: UInt64, openInterestUpperCap: UInt64) {
        self.id = id
        self.name = name
        self.initialMarginPpm = initialMarginPpm
        self.maintenanceFractionPpm = maintenanceFractionPpm
        self.impactNotional = impactNotional
        self.openInterestLowerCap = openInterestLowerCap
        self.openInterestUpperCap = openInterestUpperCap
    }

    /// Renders margin levels: IMF in ppm, maintenance fraction MMF/IMF in ppm, both rounded up.
    public init(levels: MarginLevels, id: UInt32, name: String, openInterestLowerCap: Double = 0,
                openInterestUpperCap: Double = 0) {
        let imf = min(max(levels.initialMarginFraction, 1e-6), 1)
        let fraction = min(max(levels.maintenanceMarginFraction / imf, 0), 1)
        self.init(id: id, name: name,
                  initialMarginPpm: UInt32((imf * 1e6 - 1e-6).rounded(.up)),
                  maintenanceFractionPpm: UInt32(min((fraction * 1e6 - 1e-6).rounded(.up), 1e6)),
                  impactNotional: UInt64((500 / imf).rounded()),
                  openInterestLowerCap: UInt64(max(openInterestLowerCap, 0).rounded()),
                  openInterestUpperCap: UInt64(max(openInterestUpperCap, 0).rounded()))
    }

    /// IMF as a fraction (initialMarginPpm / 10⁶).
    public var initialMarginFraction: Double { Double(initialMarginPpm) / 1e6 }

    /// MMF as a fraction: IMF × maintenance fraction.
    public var maintenanceMarginFraction: Double {
        initialMarginFraction * Double(maintenanceFractionPpm) / 1e6
    }

    /// IMF at a given open-interest notional, by dYdX's open-interest scaling.
    public func effectiveInitialMarginFraction(openInterestNotional: Double) -> Double {
        Self.effectiveInitialMarginFraction(base: initialMarginFraction, lowerCap: Double(openInterestLowerCap),
                                            upperCap: Double(openInterestUpperCap),
                                            openInterestNotional: openInterestNotional)
    }

    /// IMF_eff = min(IMF + max(s·(1 − IMF), 0), 1), s = (OI − lower)/(upper − lower); no scaling when
    /// upper ≤ lower. Worked example: IMF 10 %, caps 20M–50M, OI 35M → s = ½ → 55 %.
    public static func effectiveInitialMarginFraction(base imf: Double, lowerCap: Double, upperCap: Double,
                                                      openInterestNotional: Double) -> Double {
        guard upperCap > lowerCap else { return imf }
        let s = (openInterestNotional - lowerCap) / (upperCap - lowerCap)
        return min(imf + max(s * (1 - imf), 0), 1)
    }
}
