import Foundation
import FulcrumTestSupport
import RiskEstimation

extension SplitMix64 {
    /// A standard normal draw by Box–Muller from `Double.random(in:using:)` (not ``nextGaussian()``, which maps
    /// the bits differently): the randomized tests' inputs come from this stream.
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Parses a hexadecimal float string written by Python's `float.hex()` (bit-exact).
    static func hexDouble(_ text: String) -> Double {
        guard let value = Double(text) else { fatalError("bad hex float \(text)") }
        return value
    }
}

/// Convenience for tests that drive the estimator with one tick per asset per grid interval.
struct GridDriver {
    static let origin: Int64 = 1_700_000_000 * 1_000_000_000
    var estimator: RiskEstimator
    let interval: Int64

    init(configuration: EstimatorConfiguration, assets: Int) {
        estimator = RiskEstimator(configuration: configuration, assetCapacity: assets)
        for _ in 0..<assets { _ = estimator.addAsset() }
        interval = configuration.gridInterval
    }

    /// Records `prices[a]` (nil = no tick) in interval `k`, closing due boundaries first.
    mutating func tick(interval k: Int64, prices: [Double?]) {
        let time = Self.origin + k * interval + interval / 2
        while estimator.closeNextInterval(upTo: time) != nil {}
        for (asset, price) in prices.enumerated() {
            if let price { estimator.record(asset: asset, timestamp: time + Int64(asset), price: price) }
        }
    }

    /// Closes every boundary up to the end of interval `k − 1`.
    mutating func close(through k: Int64) {
        while estimator.closeNextInterval(upTo: Self.origin + k * interval) != nil {}
    }
}

extension EstimatorConfiguration {
    static func testing(halfLifeSteps: Double, window: Int = 50, warmup: Double = 5,
                        shrinkage: Shrinkage = .none, admission: Double = 0.05) -> EstimatorConfiguration {
        var configuration = EstimatorConfiguration()
        configuration.halfLife = Int64((halfLifeSteps * 1e9).rounded())
        configuration.window = window
        configuration.warmupESS = warmup
        configuration.shrinkage = shrinkage
        configuration.correlationAdmission = admission
        configuration.residualCapacity = 1_000
        return configuration
    }
}

/// Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (test-only, O(n³) per sweep).
func symmetricEigenvalues(_ input: [[Double]]) -> [Double] {
    var a = input
    let n = a.count
    for _ in 0..<100 {
        var off = 0.0
        for p in 0..<n { for q in 0..<n where p != q { off += a[p][q] * a[p][q] } }
        if off < 1e-30 { break }
        for p in 0..<(n - 1) {
            for q in (p + 1)..<n where a[p][q] != 0 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                for k in 0..<n {
                    let akp = a[k][p], akq = a[k][q]
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = a[p][k], aqk = a[q][k]
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
            }
        }
    }
    return (0..<n).map { a[$0][$0] }.sorted()
}
